"""One check per kind of outside input: free text and email addresses."""
