"""Every write of the society app. See the submodules per area."""
