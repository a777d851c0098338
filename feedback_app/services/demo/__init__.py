"""The demo company and its analysed answers for `flask demo load`."""
