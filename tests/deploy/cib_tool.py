#!/usr/bin/python3
"""cib_tool.py - offline CIB helpers for tests/deploy/test_cib.

  cib_tool.py add-nodes CIB NODE...   add <node> entries (as corosync would)
  cib_tool.py canon CIB               print the configuration in canonical form
  cib_tool.py depends GRAPH A B       exit 0 if action A waits for action B in
                                      a transition graph (crm_simulate -G)
  cib_tool.py placement < CRM_MON_XML print "resource role node" for what
                                      runs, from crm_mon --output-as=xml

The canonical form is one line per fact (resource, agent, param, op, meta
attribute, constraint, property), sorted, without generated ids, with
times in milliseconds and the role and score spellings pcs and crmsh differ
on made equal, so two CIBs that mean the same compare equal as text.
"""
import re
import sys
import xml.etree.ElementTree as ET

ROLES = {"Master": "Promoted", "Slave": "Unpromoted"}
UNITS = {"ms": 1, "msec": 1, "s": 1000, "sec": 1000, "": 1000, "m": 60000, "min": 60000, "h": 3600000, "hr": 3600000}


def ms(value):
    """ms - a Pacemaker interval or timeout ("30s", "1min", "90") in ms"""
    m = re.fullmatch(r"\s*(\d+)\s*([a-z]*)\s*", value or "0")
    if not m or m.group(2) not in UNITS:
        return value
    return str(int(m.group(1)) * UNITS[m.group(2)])


def score(value):
    v = (value or "").strip().lower()
    return {"inf": "INFINITY", "+inf": "INFINITY", "infinity": "INFINITY", "+infinity": "INFINITY",
            "-inf": "-INFINITY", "-infinity": "-INFINITY"}.get(v, value)


def nvpairs(elem, tag):
    """nvpairs - name=value of every nvpair in elem's <tag> sets"""
    out = []
    for s in elem.findall(tag):
        for nv in s.findall("nvpair"):
            out.append("%s=%s" % (nv.get("name"), nv.get("value")))
    return sorted(out)


def canon_primitive(p, parent, lines):
    rid = p.get("id")
    agent = "%s:%s%s" % (p.get("class"), (p.get("provider") + ":") if p.get("provider") else "", p.get("type"))
    lines.append("primitive %s %s in=%s" % (rid, agent, parent))
    for kv in nvpairs(p, "instance_attributes"):
        lines.append("param %s %s" % (rid, kv))
    for kv in nvpairs(p, "meta_attributes"):
        lines.append("meta %s %s" % (rid, kv))
    for op in p.findall("operations/op"):
        attrs = {k: v for k, v in op.attrib.items() if k != "id"}
        attrs["interval"] = ms(attrs.get("interval", "0"))
        if "timeout" in attrs:
            attrs["timeout"] = ms(attrs["timeout"])
        if "role" in attrs:
            attrs["role"] = ROLES.get(attrs["role"], attrs["role"])
        depth = [kv for kv in nvpairs(op, "instance_attributes") if kv.startswith("OCF_CHECK_LEVEL=")]
        attrs["depth"] = depth[0].split("=", 1)[1] if depth else "0"
        lines.append("op %s %s" % (rid, " ".join("%s=%s" % kv for kv in sorted(attrs.items()))))


def canon(path):
    cfg = ET.parse(path).getroot().find("configuration")
    lines = []
    for kv in nvpairs(cfg, "crm_config/cluster_property_set"):
        lines.append("property %s" % kv)
    for kv in nvpairs(cfg, "rsc_defaults/meta_attributes"):
        lines.append("rsc_defaults %s" % kv)
    for kv in nvpairs(cfg, "op_defaults/meta_attributes"):
        lines.append("op_defaults %s" % kv)
    for r in cfg.find("resources"):
        if r.tag == "primitive":
            canon_primitive(r, "-", lines)
            continue
        lines.append("%s %s" % (r.tag, r.get("id")))
        for kv in nvpairs(r, "meta_attributes"):
            lines.append("meta %s %s" % (r.get("id"), kv))
        if r.tag == "group":
            lines.append("members %s %s" % (r.get("id"), " ".join(p.get("id") for p in r.findall("primitive"))))
        for p in r.findall("primitive"):
            canon_primitive(p, r.get("id"), lines)
        for g in r.findall("group"):
            lines.append("group %s in=%s" % (g.get("id"), r.get("id")))
            for p in g.findall("primitive"):
                canon_primitive(p, g.get("id"), lines)
    for c in cfg.find("constraints"):
        a = {k: v for k, v in c.attrib.items() if k != "id"}
        if "score" in a:
            a["score"] = score(a["score"])
        for k in ("rsc-role", "with-rsc-role", "first-action", "then-action"):
            if k in a:
                a[k] = ROLES.get(a[k], a[k])
        if a.get("rsc-role") == "Started":
            del a["rsc-role"]
        if a.get("with-rsc-role") == "Started":
            del a["with-rsc-role"]
        if c.tag == "rsc_order" and a.get("kind") == "Mandatory":
            del a["kind"]
        if c.tag == "rsc_order" and a.get("first-action") == "start":
            del a["first-action"]
        lines.append("%s %s" % (c.tag, " ".join("%s=%s" % kv for kv in sorted(a.items()))))
    return sorted(lines)


def add_nodes(path, names):
    tree = ET.parse(path)
    nodes = tree.getroot().find("configuration/nodes")
    for i, n in enumerate(names, 1):
        ET.SubElement(nodes, "node", id=str(i), uname=n)
    tree.write(path)


def depends(graph, a, b):
    """depends - does action key a (transitively) wait for action key b?"""
    root = ET.parse(graph).getroot()
    key_of, inputs = {}, {}
    for syn in root.findall("synapse"):
        for act in syn.find("action_set"):
            key_of[act.get("id")] = act.get("operation_key")
            inputs[act.get("id")] = [t.get("id") for inp in syn.findall("inputs/trigger") for t in inp]
    starts = [i for i, k in key_of.items() if k == a]
    if not starts or b not in key_of.values():
        print("depends: %s or %s not in the graph" % (a, b))
        return False
    seen, todo = set(), list(starts)
    while todo:
        i = todo.pop()
        for j in inputs.get(i, []):
            if key_of.get(j) == b:
                return True
            if j not in seen:
                seen.add(j)
                todo.append(j)
    return False


def placement(stream):
    """placement - "resource role node" for each active instance, from
    crm_mon --output-as=xml (run with CIB_file= on a simulation's output)"""
    out = []
    for r in ET.parse(stream).getroot().iter("resource"):
        for n in r.findall("node"):
            out.append("%s %s %s" % (r.get("id"), r.get("role"), n.get("name")))
    return sorted(out)


def main(argv):
    if len(argv) >= 3 and argv[1] == "add-nodes":
        add_nodes(argv[2], argv[3:])
    elif len(argv) == 3 and argv[1] == "canon":
        print("\n".join(canon(argv[2])))
    elif len(argv) == 5 and argv[1] == "depends":
        return 0 if depends(argv[2], argv[3], argv[4]) else 1
    elif len(argv) == 2 and argv[1] == "placement":
        print("\n".join(placement(sys.stdin)))
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
