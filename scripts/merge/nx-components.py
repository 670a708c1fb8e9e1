#!/usr/bin/python3
"""The peer of xo-merge's deterministic linking: networkx's
connected_components over the identifier graph (EDGES.tsv from
gen-events.py). Prints the number of components, and on stderr the
seconds spent loading the graph and finding the components."""
import sys, time
import networkx as nx

t0 = time.time()
g = nx.Graph()
with open(sys.argv[1]) as f:
    for line in f:
        ids = line.rstrip("\n").split("\t")
        if len(ids) == 1:
            g.add_node(ids[0])
        else:
            first = ids[0]
            g.add_edges_from((first, other) for other in ids[1:])
t1 = time.time()
n = sum(1 for _ in nx.connected_components(g))
t2 = time.time()
print(n)
print("load %.2f components %.2f" % (t1 - t0, t2 - t1), file=sys.stderr)
