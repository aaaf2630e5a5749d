"""The visitor's address behind TRUSTED_PROXY_COUNT proxies, never one a visitor picks."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from showcase.core.client_ip import client_ip, client_network, forwarded_client, parse_ip

NGINX = "127.0.0.1"


def request(remote: str = NGINX, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("192.0.2.10", "192.0.2.10"),
        (" 192.0.2.10 ", "192.0.2.10"),
        ("192.0.2.10:5678", "192.0.2.10"),
        ("2001:DB8::1", "2001:db8::1"),
        ("[2001:db8::1]", "2001:db8::1"),
        ("[2001:db8::1]:443", "2001:db8::1"),
        ("::ffff:192.0.2.10", "192.0.2.10"),
        ("unknown", None),
        ("", None),
        ("192.0.2.300", None),
        ("<script>", None),
        ("[2001:db8::1", None),
        ("192.0.2.10, 198.51.100.1", None),
    ],
)
def test_addresses_are_read_as_proxies_write_them_and_anything_else_is_refused(raw, expected):
    assert parse_ip(raw) == expected


def test_without_trusted_proxies_remote_addr_counts_and_the_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request("203.0.113.5", forwarded="198.51.100.7")) == "203.0.113.5"


def test_behind_one_proxy_the_address_it_appended_counts(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request(forwarded="198.51.100.7")) == "198.51.100.7"


def test_addresses_a_visitor_puts_in_front_are_never_believed(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    spoofed = request(forwarded="10.0.0.1, 192.0.2.99, 198.51.100.7")
    assert client_ip(spoofed) == "198.51.100.7"


def test_behind_two_proxies_the_second_entry_from_the_right_counts(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    chain = request(forwarded="10.9.9.9, 198.51.100.7, 192.0.2.1")  # visitor, CDN edge
    assert client_ip(chain) == "198.51.100.7"


def test_a_request_through_fewer_proxies_than_trusted_counts_the_farthest_one_recorded():
    assert forwarded_client("198.51.100.7", 2) == "198.51.100.7"


def test_a_missing_or_garbled_header_falls_back_to_the_proxy_address_never_fails(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request()) == NGINX
    assert client_ip(request(forwarded="")) == NGINX
    assert client_ip(request(forwarded=" , ,")) == NGINX
    assert client_ip(request(forwarded="198.51.100.7, not-an-ip")) == NGINX
    assert client_ip(request(forwarded="x" * 10_000)) == NGINX


def test_empty_entries_do_not_shift_the_trusted_position(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request(forwarded=", 198.51.100.7")) == "198.51.100.7"


def test_a_missing_or_malformed_remote_addr_is_unknown(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request(remote="")) == "unknown"
    assert client_ip(request(remote="garbage")) == "unknown"


def test_ipv6_visitors_are_counted_by_their_64_network_and_ipv4_ones_by_address(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    one = client_network(request(forwarded="2001:db8:1:2::10"))
    same_subscriber = client_network(request(forwarded="2001:db8:1:2:aaaa:bbbb:cccc:dddd"))
    assert one == same_subscriber == "2001:db8:1:2::/64"
    assert client_network(request(forwarded="2001:db8:1:3::10")) != one
    assert client_network(request(forwarded="198.51.100.7")) == "198.51.100.7"
    assert client_network(request(forwarded="::ffff:198.51.100.7")) == "198.51.100.7"
    assert client_network(request(remote="garbage")) == "unknown"
