#!/usr/bin/env python3
"""The test network's time server (spec network.ntp in the e2e spec): answers NTP client requests
(RFC 5905 server mode, stratum 1, the host's clock) on ADDRESS:123 inside the test namespace.

The nodes share the host's clock, so there is nothing to correct; the server exists so chrony on
every node synchronises at once, as it would with an air-gapped site's time server, instead of
waiting out `chronyc waitsync` with no source.  Usage: ntp-server.py ADDRESS
"""
import socket
import struct
import sys
import time

NTP_EPOCH_OFFSET = 2208988800  # 1900-01-01 to 1970-01-01


def ntp_time(t: float) -> bytes:
    seconds = int(t) + NTP_EPOCH_OFFSET
    fraction = int((t % 1) * 2**32) & 0xFFFFFFFF
    return struct.pack("!II", seconds, fraction)


def answer(request: bytes, received: float) -> bytes:
    version = (request[0] >> 3) & 0x7
    header = struct.pack(
        "!BBbbII4s",
        (0 << 6) | (version << 3) | 4,  # no leap warning, the client's version, server mode
        1,  # stratum 1: a reference clock (the host's)
        request[2],  # poll: the client's
        -20,  # precision ~1 us
        0,  # root delay
        0x00000010,  # root dispersion (~0.25 ms)
        b"LOCL",
    )
    return header + ntp_time(received) + request[40:48] + ntp_time(received) + ntp_time(time.time())


def main() -> None:
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind((sys.argv[1], 123))
    while True:
        request, client = sock.recvfrom(512)
        received = time.time()
        if len(request) >= 48 and request[0] & 0x7 == 3:  # client mode only
            sock.sendto(answer(request, received), client)


if __name__ == "__main__":
    main()
