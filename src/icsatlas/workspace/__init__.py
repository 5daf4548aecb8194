"""The Workspace: one way in to the register, population, finance and contracts."""
