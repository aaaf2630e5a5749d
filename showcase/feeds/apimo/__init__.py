"""The Apimo provider (docs/upstreams/apimo.md): everything it needs, in one folder.

client.py (HTTP only, JSON out; reads and the admin's writes), mapping.py and parts.py
(properties and agencies -> records), catalogs.py (what the numeric codes mean),
credentials.py (the Feed fields it needs), actions.py (changes the admin asks Apimo to
make) and admin_actions.py (their admin pages and the listing change page's panel),
provider.py (what the sync engine drives, and the `PROVIDER` declaration that
showcase/feeds/registry.py lists).

Kept free of imports: the standalone fake Apimo server (showcase/demo/fake_apimo.py)
reads catalogs.py without Django set up.
"""
