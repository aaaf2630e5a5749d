"""Shared seams every app may use, and that import no app: the typed site and request,
HTTP session, HTML sanitizing, cache version counters, DPE scales, env helpers."""
