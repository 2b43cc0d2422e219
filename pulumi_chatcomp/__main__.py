"""``python -m pulumi_chatcomp``: the provider plugin, ``pulumi-resource-chatcomp``.

This is how Pulumi runs the repository as a source-based plugin (``PulumiPlugin.yaml``):
its Python host starts ``python -m pulumi.run.plugin pulumi-chatcomp``, which runs this
package's ``__main__``. The engine passes its address as the argument.
"""

from pulumi_chatcomp.plugin import main

main()
