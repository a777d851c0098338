"""One check per kind of outside input: free text, email addresses, languages and database ids."""
