#!/usr/bin/env python3
"""The TCP_QUICKACK effect on the vpcd path, measured without touching the simulator.

A minimal vpcd card (answers the ATR request and every APDU with 90 00) connects to vpcd
with or without TCP_QUICKACK set before each read; the JMH VpcdRoundTripBenchmark is then
run against its reader. vpcd writes the 2-byte length and the payload in two segments, so
without an immediate ACK the second one waits for the peer's delayed-ACK timer.

Usage: benchmarks/vpcd-quickack.py [PORT]   (35964 = reader "Virtual PCD 00 01")
"""
import json
import os
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH_JAR = os.path.join(ROOT, "benchmarks", "target", "benchmarks.jar")
ATR = bytes([0x3B, 0x80, 0x80, 0x01, 0x01])
CTRL_ATR = 0x04
SW_OK = bytes([0x90, 0x00])
TCP_QUICKACK = getattr(socket, "TCP_QUICKACK", 12)


def read_exact(s, n):
    buf = b""
    while len(buf) < n:
        chunk = s.recv(n - len(buf))
        if not chunk:
            raise EOFError
        buf += chunk
    return buf


def serve(port, quickack, stop):
    s = socket.create_connection(("127.0.0.1", port))
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        while not stop.is_set():
            if quickack:
                s.setsockopt(socket.IPPROTO_TCP, TCP_QUICKACK, 1)
            (length,) = struct.unpack(">H", read_exact(s, 2))
            if quickack:
                s.setsockopt(socket.IPPROTO_TCP, TCP_QUICKACK, 1)
            payload = read_exact(s, length)
            if length == 1:
                if payload[0] == CTRL_ATR:
                    s.sendall(struct.pack(">H", len(ATR)) + ATR)
                continue
            s.sendall(struct.pack(">H", len(SW_OK)) + SW_OK)
    except (EOFError, OSError):
        pass
    finally:
        s.close()


def measure(port, reader, quickack):
    stop = threading.Event()
    t = threading.Thread(target=serve, args=(port, quickack, stop), daemon=True)
    t.start()
    time.sleep(1.5)  # pcscd notices a new card within about half a second
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run(["java", "-jar", BENCH_JAR, "VpcdRoundTrip", "-p", "reader=" + reader, "-bm", "sample",
                        "-tu", "us", "-f", "1", "-wi", "1", "-i", "3", "-w", "1s", "-r", "1s",
                        "-rf", "json", "-rff", out.name], check=True, stdout=subprocess.DEVNULL)
        metric = json.load(open(out.name))[0]["primaryMetric"]
    stop.set()
    return metric["scorePercentiles"]["50.0"], metric["score"]


def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 35964
    reader = "Virtual PCD 00 %02d" % (port - 35963)
    for quickack in (True, False):
        median, mean = measure(port, reader, quickack)
        print("TCP_QUICKACK %s: median %.1f us, mean %.1f us" % ("on " if quickack else "off", median, mean))
        time.sleep(1.0)


if __name__ == "__main__":
    main()
