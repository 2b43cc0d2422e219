"""The dynamic face's machinery in the dynamic provider host: the provider's methods
(``_operations``), the guarded adaptations of the host itself (``_host``, once our provider
is loaded there; ``_startup``, from the package's startup file, for ``pulumi import``), and
the pickled provider every resource's state holds (``_pickling``, made in the program).
"""
