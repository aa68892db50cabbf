# Clients that connect and reset at once (SO_LINGER 0), for chapter 5's server at the edge: the
# server's accept then sees ECONNRESET or ENOTCONN. A load tool, not a twin: Deno has no SO_LINGER.
#   /usr/bin/python3 part05/reset_clients.py PORT COUNT
import socket, struct, sys

port, n = int(sys.argv[1]), int(sys.argv[2])
for i in range(n):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.connect(("127.0.0.1", port))
    s.close()
