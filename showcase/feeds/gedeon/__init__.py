"""The Gedeon provider (docs/upstreams/gedeon.md): everything it needs, in one folder.

client.py (HTTP only, JSON out), mapping.py (ads and agencies -> records),
credentials.py (the Feed fields it needs), provider.py (what the sync engine drives,
and the `PROVIDER` declaration that showcase/feeds/registry.py lists).
"""
