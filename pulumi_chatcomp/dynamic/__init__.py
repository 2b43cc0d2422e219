"""The dynamic face's machinery in the dynamic provider host: the provider's methods
(``_operations``), the guarded adaptations of the host itself (``_host``), and the pickled
provider every resource's state holds (``_pickling``, made in the program).
"""
