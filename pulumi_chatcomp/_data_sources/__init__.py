"""The parts behind `pulumi_chatcomp.data_sources`: arguments, results, settings, Outputs."""
