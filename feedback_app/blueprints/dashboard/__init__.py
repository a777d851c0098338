"""The staff dashboard blueprint; each area's views live in their own module imported below."""
