# The server's public names (see pulumi_chatcomp._lazy).

from pulumi_chatcomp.server._app import create_app as create_app
from pulumi_chatcomp.server._faults import FaultConfig as FaultConfig
from pulumi_chatcomp.server.testing import LocalServer as LocalServer
from pulumi_chatcomp.server.testing import ServerAdmin as ServerAdmin

__all__: list[str]
