"""sim/ is layered as sim/README.md draws it: every #include of a project header
names a folder in the same layer or a lower one, and no two folders include
each other. The layer order is read from sim/README.md's table, so the page a
newcomer reads and the rule the build enforces are the same text."""
import os
import re
import unittest

SOURCE = os.environ.get("ORGSIM_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
SIM = os.path.join(SOURCE, "sim")
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')
# A table row of sim/README.md: | 1 | `core/` | ... |
LAYER_ROW = re.compile(r"^\|\s*(\d+)\s*\|\s*`([a-z_]+)/`")
# Headers generated into the build tree, at the bottom of the stack.
GENERATED = {"version.hpp": 0}


def layers():
    """Folder -> rank, from sim/README.md's layer table."""
    ranks = {}
    with open(os.path.join(SIM, "README.md"), encoding="utf-8") as readme:
        for line in readme:
            match = LAYER_ROW.match(line)
            if match:
                ranks[match.group(2)] = int(match.group(1))
    return ranks


def includes():
    """(file relative to sim/, line number, including folder, included path) for every quoted include."""
    for root, _, files in os.walk(SIM):
        for name in sorted(files):
            if not name.endswith((".hpp", ".cpp", ".hpp.in")):
                continue
            path = os.path.join(root, name)
            relative = os.path.relpath(path, SIM)
            folder = relative.split(os.sep)[0] if os.sep in relative else ""
            with open(path, encoding="utf-8") as source:
                for number, line in enumerate(source, 1):
                    match = INCLUDE.match(line)
                    if match:
                        yield relative, number, folder, match.group(1)


def violations(ranks):
    found = []
    edges = {}
    for relative, number, folder, included in includes():
        where = f"sim/{relative}:{number}"
        if folder not in ranks:
            found.append(f"{where}: folder '{folder or '.'}' is in no layer of sim/README.md")
            continue
        if "/" not in included:
            if included not in GENERATED:
                found.append(f"{where}: #include \"{included}\" names no folder")
            continue
        target = included.split("/")[0]
        if target not in ranks:
            found.append(f"{where}: #include \"{included}\": folder '{target}' is in no layer")
        elif ranks[target] > ranks[folder]:
            found.append(f"{where}: #include \"{included}\" reaches up from {folder} "
                         f"(layer {ranks[folder]}) to {target} (layer {ranks[target]})")
        elif target != folder:
            edges.setdefault((folder, target), where)
    # Folders that share a rank may include each other's headers one way only.
    for (a, b), where in sorted(edges.items()):
        if (b, a) in edges and a < b:
            found.append(f"{where}: {a} includes {b} and {edges[(b, a)]}: {b} includes {a}")
    return found


class LayerTest(unittest.TestCase):
    def test_readme_lists_every_folder(self):
        ranks = layers()
        self.assertGreaterEqual(len(ranks), 5, "sim/README.md's layer table was not found")
        folders = {entry.name for entry in os.scandir(SIM) if entry.is_dir()}
        self.assertEqual(sorted(folders - set(ranks)), [], "folders of sim/ missing from sim/README.md's table")
        self.assertEqual(sorted(set(ranks) - folders), [], "sim/README.md names folders that do not exist")

    def test_no_upward_include_or_cycle(self):
        found = violations(layers())
        self.assertEqual(found, [], "\n" + "\n".join(found))

    def test_an_upward_include_is_caught(self):
        # The checker itself can fail: a made-up rank order in which core sits above cli.
        ranks = dict(layers())
        ranks["core"], ranks["cli"] = ranks["cli"], ranks["core"]
        self.assertTrue(any("reaches up" in v for v in violations(ranks)))


if __name__ == "__main__":
    unittest.main()
