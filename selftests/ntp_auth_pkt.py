#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Hand-made NTP packets with (or without) a MAC, for the kntp selftests.

    ntp_auth_pkt.py query ADDR [--key ID] [--type T] [--secret S]
                              [--mac-id ID] [--truncate N] [--corrupt]
                              [--nak] [--mode M] [--count N] [--timeout S]
        Send a request (mode 3, or --mode 1) to ADDR:123 and print the
        reply's fields as "key=value" lines, among them "auth=" (none, ok,
        bad, nak: the reply's MAC checked with the request's key) and
        "mac_key=" (the key id of the reply's MAC, 0 without one), or
        "noreply" when none came within the timeout. With --key, the
        request carries a MAC of key ID: T is md5, sha1, sha256 (truncated
        to 20 bytes, as chrony and NTPsec do) or aes128 (AES-128-CMAC, RFC
        8573), S the secret as chrony writes it (ASCII:text, HEX:digits, or
        plain text). --mac-id puts another key id in the MAC (computed
        with the same secret); --truncate N cuts the MAC (key id and
        digest) to N bytes; --corrupt flips a bit of the digest; --nak
        sends a crypto-NAK (a key id of 0 alone). With --count N, send N
        requests one after the other (each waits for its reply or the
        timeout) and print "replies=K authok=J" only.

    ntp_auth_pkt.py spoof DST --src ADDR [--seconds S] [--rate R]
                          [--mode M] [--port P] [--looks L] [--started]
        An off-path attacker: send symmetric active (mode 1; --mode 4:
        server) packets to DST:P (default 123) from ADDR:123, an address
        that is not ours (IP_TRANSPARENT), R a second (default 3) for S
        seconds (default 30). The transmit timestamp is now; no MAC. What
        origin and receive timestamps the packets carry (--looks):
          any     random, odd (the default)
          xleave  as an interleaved packet's (RFC 9769): the origin random
                  with the lowest bit of its fraction 1 (as a server marks
                  its receive timestamps), the receive timestamp random and
                  not the transmit timestamp
          basic   as a basic packet's: the origin random with that bit 0
          guess   the origin a guess at what the target waits for (its
                  last transmit timestamp, or its receive timestamp of the
                  packet before): now less up to 2 s, that bit alternating;
                  the receive timestamp now less up to 1 s
          mixed   xleave, basic and guess in turn
        Prints "sent=N" (and, but for "any", how many of each kind:
        "xleave=K basic=J guess=G"); with --started, "started" first, as
        soon as the first packet is sent.

    ntp_auth_pkt.py mac --type T --secret S HEXPACKET
        Print the digest of a packet (tests of this file).

Only the Python standard library, but for AES-128-CMAC, which needs
python3-cryptography (exit status 4 and "no cmac" without it).
"""
import argparse
import hashlib
import os
import random
import select
import socket
import struct
import sys
import time

# The header's layout and helpers are ntp_pkt.py's.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ntp_pkt import HEADER, ntp_now, pack, unpack  # noqa: E402

HEADER_LEN = HEADER.size  # 48
KSFT_SKIP = 4
DIGEST_LEN = {"md5": 16, "sha1": 20, "sha256": 20, "aes128": 16}


def secret_bytes(s):
    """A secret as chrony's keyfile writes it."""
    if s.startswith("HEX:"):
        return bytes.fromhex(s[4:])
    if s.startswith("ASCII:"):
        return s[6:].encode()
    return s.encode()


def digest(typ, secret, data):
    if typ == "md5":
        return hashlib.md5(secret + data).digest()
    if typ == "sha1":
        return hashlib.sha1(secret + data).digest()
    if typ == "sha256":
        return hashlib.sha256(secret + data).digest()[:20]
    if typ == "aes128":
        try:
            from cryptography.hazmat.primitives import cmac
            from cryptography.hazmat.primitives.ciphers import algorithms
        except ImportError:
            print("no cmac (python3-cryptography is missing)")
            sys.exit(KSFT_SKIP)
        c = cmac.CMAC(algorithms.AES(secret))
        c.update(data)
        return c.finalize()
    raise SystemExit("unknown key type %r" % typ)


def sign(pkt, args):
    """pkt followed by the MAC that args ask for."""
    if args.nak:
        return pkt + struct.pack("!I", 0)
    if args.key is None:
        return pkt
    d = bytearray(digest(args.type, secret_bytes(args.secret), pkt))
    if args.corrupt:
        d[0] ^= 0x01
    mac_id = args.key if args.mac_id is None else args.mac_id
    mac = struct.pack("!I", mac_id) + bytes(d)
    if args.truncate is not None:
        mac = mac[:args.truncate]
    return pkt + mac


def check_reply(data, args):
    """The reply's MAC, checked with the request's key: (auth, key id)."""
    body, mac = data[:HEADER_LEN], data[HEADER_LEN:]
    if not mac:
        return "none", 0
    if len(mac) == 4:
        return "nak", struct.unpack("!I", mac)[0]
    kid = struct.unpack("!I", mac[:4])[0]
    if args.key is None or args.nak:
        return "unchecked", kid
    want = digest(args.type, secret_bytes(args.secret), body)
    return ("ok" if mac[4:] == want and kid == args.key else "bad"), kid


def query(args):
    fam = socket.AF_INET6 if ":" in args.addr else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM)
    dest = socket.getaddrinfo(args.addr, 123, fam, socket.SOCK_DGRAM)[0][4]
    count = args.count if args.count is not None else 1
    replies = authok = 0
    last = None
    for _ in range(count):
        # Stratum and poll of a client as chrony and ntpd send them.
        pkt = sign(pack(mode=args.mode, poll=6, xmt=ntp_now()), args)
        s.sendto(pkt, dest)
        deadline = time.monotonic() + args.timeout
        while True:
            left = deadline - time.monotonic()
            r, _, _ = select.select([s], [], [], max(0, left))
            if not r:
                break
            data, _ = s.recvfrom(2048)
            if len(data) < HEADER_LEN:
                continue
            # Only the answer to this request (a late one is not counted).
            if unpack(data)["org"] != HEADER.unpack_from(pkt)[10]:
                continue
            replies += 1
            auth, kid = check_reply(data, args)
            authok += auth == "ok"
            last = (data, auth, kid)
            break
    if args.count is not None:
        print("replies=%d authok=%d" % (replies, authok))
        return 0
    if last is None:
        print("noreply")
        return 0
    data, auth, kid = last
    f = unpack(data)
    f["auth"] = auth
    f["mac_key"] = kid
    for k, v in f.items():
        print("%s=%s" % (k, v))
    return 0


# A second, in the 32-bit fraction of an NTP timestamp.
NTP_SEC = 1 << 32
SPOOF_CYCLE = {"any": ["any"], "xleave": ["xleave"], "basic": ["basic"],
               "guess": ["guess"], "mixed": ["xleave", "basic", "guess"]}


def spoof_times(kind, n, now, rng):
    """Origin and receive timestamps of the n-th spoofed packet."""
    if kind == "any":
        return rng.getrandbits(64) | 1, rng.getrandbits(64) | 1
    rec = rng.getrandbits(64)
    if kind == "xleave":
        org = rng.getrandbits(64) | 1
    elif kind == "basic":
        org = rng.getrandbits(64) & ~1
    else:
        org = (now - rng.randrange(2 * NTP_SEC)) & ~1 | n & 1
        rec = now - rng.randrange(NTP_SEC)
    if rec == now:
        rec ^= 2
    return org, rec


def spoof(args):
    fam = socket.AF_INET6 if ":" in args.dst else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM)
    # IP_TRANSPARENT (19 for IPv4, IPV6_TRANSPARENT 75): bind to and send
    # from an address that is not one of ours.
    if fam == socket.AF_INET:
        s.setsockopt(socket.SOL_IP, getattr(socket, "IP_TRANSPARENT", 19), 1)
    else:
        s.setsockopt(socket.IPPROTO_IPV6, 75, 1)
    s.bind((args.src, 123))
    dest = socket.getaddrinfo(args.dst, args.port, fam,
                              socket.SOCK_DGRAM)[0][4]
    rng = random.SystemRandom()
    cycle = SPOOF_CYCLE[args.looks]
    kinds = {"any": 0, "xleave": 0, "basic": 0, "guess": 0}
    sent = 0
    start = time.monotonic()
    end = start + args.seconds
    while time.monotonic() < end:
        now = ntp_now()
        kind = cycle[sent % len(cycle)]
        org, rec = spoof_times(kind, sent // len(cycle), now, rng)
        pkt = pack(mode=args.mode, stratum=3, poll=0, refid=b"LOCL",
                   ref=now - NTP_SEC, org=org, rec=rec, xmt=now)
        try:
            s.sendto(pkt, dest)
            sent += 1
            kinds[kind] += 1
        except OSError as e:
            print("# send: %s" % e, file=sys.stderr)
        if args.started and sent:
            print("started", flush=True)
            args.started = False
        nxt = start + sent / args.rate
        time.sleep(max(0, nxt - time.monotonic()))
    if args.looks == "any":
        print("sent=%d" % sent)
    else:
        print("sent=%d xleave=%d basic=%d guess=%d" %
              (sent, kinds["xleave"], kinds["basic"], kinds["guess"]))
    return 0


def mac(args):
    print(digest(args.type, secret_bytes(args.secret),
                 bytes.fromhex(args.packet)).hex())
    return 0


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    q = sub.add_parser("query")
    q.add_argument("addr")
    q.add_argument("--key", type=int)
    q.add_argument("--type", choices=sorted(DIGEST_LEN), default="sha1")
    q.add_argument("--secret", default="")
    q.add_argument("--mac-id", type=int)
    q.add_argument("--truncate", type=int)
    q.add_argument("--corrupt", action="store_true")
    q.add_argument("--nak", action="store_true")
    q.add_argument("--mode", type=int, default=3)
    q.add_argument("--count", type=int)
    q.add_argument("--timeout", type=float, default=1.0)
    sp = sub.add_parser("spoof")
    sp.add_argument("dst")
    sp.add_argument("--src", required=True)
    sp.add_argument("--seconds", type=float, default=30.0)
    sp.add_argument("--rate", type=float, default=3.0)
    sp.add_argument("--mode", type=int, choices=(1, 4), default=1)
    sp.add_argument("--port", type=int, default=123)
    sp.add_argument("--looks", choices=sorted(SPOOF_CYCLE), default="any")
    sp.add_argument("--started", action="store_true")
    m = sub.add_parser("mac")
    m.add_argument("--type", choices=sorted(DIGEST_LEN), required=True)
    m.add_argument("--secret", required=True)
    m.add_argument("packet")
    args = p.parse_args()
    return {"query": query, "spoof": spoof, "mac": mac}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
