"""Leads: home seekers contacting an agency."""
