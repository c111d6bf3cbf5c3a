#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""One NTP client request in an IPv4 datagram built by hand (a raw socket),
for what the ordinary socket API cannot send: a wrong UDP checksum, IP
options. Prints "answered" when a mode-4 reply naming our transmit time as
its origin comes back to the source port within a second, else "noreply";
with --ip-header, "answered df=D id=I": the reply's don't-fragment bit and
IP ID, as a raw socket sees them.

  ingress_raw.py SRC DST [--bad-csum] [--ip-options] [--ip-header]
"""
import argparse
import os
import socket
import struct


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def main():
    p = argparse.ArgumentParser()
    p.add_argument("src")
    p.add_argument("dst")
    p.add_argument("--bad-csum", action="store_true")
    p.add_argument("--ip-options", action="store_true")
    p.add_argument("--ip-header", action="store_true")
    a = p.parse_args()

    rx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    rx.bind((a.src, 0))
    rx.settimeout(1.0)
    sport = rx.getsockname()[1]
    # A copy of every UDP datagram that arrives, its IP header first.
    hdr = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_UDP)
    hdr.settimeout(1.0)

    xmt = os.urandom(8)
    ntp = bytes([0x23]) + bytes(39) + xmt          # LI 0, VN 4, mode 3
    ulen = 8 + len(ntp)
    src = socket.inet_aton(a.src)
    dst = socket.inet_aton(a.dst)
    pseudo = src + dst + struct.pack("!BBH", 0, socket.IPPROTO_UDP, ulen)
    udp = struct.pack("!HHHH", sport, 123, ulen, 0) + ntp
    check = csum(pseudo + udp) or 0xFFFF
    if a.bad_csum:
        check = (check + 1) & 0xFFFF or 1
    udp = udp[:6] + struct.pack("!H", check) + udp[8:]
    opts = bytes([1, 1, 1, 0]) if a.ip_options else b""   # NOP NOP NOP EOL
    ihl = 5 + len(opts) // 4
    ip = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, ihl * 4 + ulen, 0,
                     0x4000, 64, socket.IPPROTO_UDP, 0, src, dst) + opts

    tx = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    tx.sendto(ip + udp, (a.dst, 0))
    try:
        while not a.ip_header:
            data = rx.recv(2048)
            if len(data) >= 48 and data[0] & 7 == 4 and data[24:32] == xmt:
                print("answered")
                return
        while True:
            data = hdr.recv(2048)
            off = (data[0] & 0xF) * 4
            ntp = data[off + 8:]
            ident, frag = struct.unpack("!HH", data[4:8])
            dport = struct.unpack("!H", data[off + 2:off + 4])[0]
            if dport == sport and len(ntp) >= 48 and ntp[0] & 7 == 4 \
                    and ntp[24:32] == xmt:
                print("answered df=%d id=%d" % (frag >> 14 & 1, ident))
                return
    except socket.timeout:
        print("noreply")


if __name__ == "__main__":
    main()
