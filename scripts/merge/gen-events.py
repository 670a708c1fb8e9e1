#!/usr/bin/python3
"""Events for the xo-merge speed benchmark, and their identifier graph.

  gen-events.py N EVENTS.ndjson EDGES.tsv

N events from N/5 customers with three identifier kinds (email, phone,
customer number) and the noise real exports have: customers without
some kinds, events carrying only some of a customer's identifiers, typo
variants of e-mail addresses, households sharing a phone, placeholder
values ("unknown", "+390000000000"), shared role addresses that link
hundreds of customers, and anonymous events. Deterministic (fixed seed).

EDGES.tsv is the identifier graph networkx gets: one line per event,
its identifiers joined by a tab (an edge from the first to each other;
a lone identifier is a node).
"""
import random, sys

def main():
    n = int(sys.argv[1])
    customers = max(n // 5, 1)
    rnd = random.Random(20260315)
    domains = ["gmail.com", "libero.it", "outlook.com", "yahoo.it", "tiscali.it", "virgilio.it"]
    channels = [("web", "web.pageview"), ("app", "app.login"), ("phone", "call.inbound"),
                ("store", "order.placed"), ("email", "email.open"), ("survey", "survey.response"),
                ("chat", "chat.message")]
    role = ["info@%s.it" % w for w in ("negozio", "studio", "azienda", "ufficio", "famiglia")]
    ev_out = open(sys.argv[2], "w", buffering=1 << 20)
    edge_out = open(sys.argv[3], "w", buffering=1 << 20)
    # Per customer: its identifiers, made on demand from its number.
    def ids_of(c):
        r = random.Random(c * 7919 + 17)
        ids = []
        if r.random() < 0.9:
            ids.append(("email", "user%d.%d@%s" % (c, r.randrange(100), domains[c % len(domains)])))
        if r.random() < 0.8:
            # One household in a hundred shares the phone of the customer before.
            p = c - 1 if c > 0 and r.random() < 0.01 else c
            ids.append(("phone", "+3934%08d" % (p * 37 % 100000000)))
        if r.random() < 0.7 or not ids:
            ids.append(("customer", "C%08d" % c))
        return ids
    for i in range(n):
        c = rnd.randrange(customers)
        ch, ty = channels[rnd.randrange(len(channels))]
        off = rnd.randrange(86400 * 59)  # January and February 2026
        if rnd.random() < 0.02:
            ids = []  # an anonymous web visit
        else:
            mine = ids_of(c)
            ids = [x for x in mine if rnd.random() < 0.6] or [mine[rnd.randrange(len(mine))]]
            u = rnd.random()
            if u < 0.01:
                ids = [(k, "unknown" if k == "email" else "+390000000000" if k == "phone" else "0")
                       if j == 0 else (k, v) for j, (k, v) in enumerate(ids)]
            elif u < 0.02:
                ids = [(k, v.replace("@", "@x") if k == "email" else v) for k, v in ids]
            elif u < 0.021:
                ids = [("email", role[c % len(role)])] + [(k, v) for k, v in ids if k != "email"]
        body = ",".join('"%s":"%s"' % kv for kv in ids)
        d, s = divmod(off, 86400)
        month, day = (1, d + 1) if d < 31 else (2, d - 30)
        ev_out.write('{"ts":"2026-%02d-%02dT%02d:%02d:%02dZ","id":"%016x","source":"crm","channel":"%s",'
                     '"type":"%s","ids":{%s},"attrs":{"store":"S%03d"}}\n'
                     % (month, day, s // 3600,
                        s // 60 % 60, s % 60, rnd.getrandbits(64), ch, ty, body, c % 500))
        if ids:
            edge_out.write("\t".join("%s:%s" % kv for kv in ids) + "\n")
    ev_out.close()
    edge_out.close()

main()
