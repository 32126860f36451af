"""Pure functions from data to text."""
