"""``python -m pulumi_chatcomp.plugin``: the same as ``pulumi-resource-chatcomp``."""

from pulumi_chatcomp.plugin import main

main()
