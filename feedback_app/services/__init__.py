"""The service layer: plain typed functions that views, CLI commands and jobs all call."""
