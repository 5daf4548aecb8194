"""What a page cost to load, read from Chromium's performance log (the DevTools protocol's
Network events: each request's address, its response's type and its bytes on the wire)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import urlsplit

from selenium import webdriver


@dataclass
class Exchange:
    url: str
    mime: str = ""
    status: int = 0
    transferred: int = 0  # bytes received: headers and the (compressed) body

    @property
    def host(self) -> str | None:
        """The host the request went to (None for data: and blob: addresses)."""
        parts = urlsplit(self.url)
        return parts.hostname if parts.scheme in ("http", "https", "ws", "wss") else None


def cold(driver: webdriver.Chrome) -> None:
    """Empty the browser's cache and the log, so the next page is a first view."""
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.clearBrowserCache", {})
    driver.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": True})
    driver.get_log("performance")


def exchanges(driver: webdriver.Chrome) -> list[Exchange]:
    """Every request since the log was last read, in the order they were sent."""
    seen: dict[str, Exchange] = {}
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        method, params = message["method"], message.get("params", {})
        if method == "Network.requestWillBeSent":
            seen.setdefault(params["requestId"], Exchange(params["request"]["url"]))
        elif method == "Network.responseReceived" and params["requestId"] in seen:
            exchange = seen[params["requestId"]]
            exchange.mime = params["response"]["mimeType"]
            exchange.status = params["response"]["status"]
        elif method == "Network.loadingFinished" and params["requestId"] in seen:
            seen[params["requestId"]].transferred = int(params["encodedDataLength"])
    return list(seen.values())
