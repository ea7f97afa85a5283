"""docs/user-guide.md shows what the commands make: every figure and file it
links to is committed beside it, and every figure is a real PNG image.

    ORGSIM_SOURCE_DIR=$PWD /usr/bin/python3 -m unittest -v test_user_guide
"""

import os
import pathlib
import re
import struct
import unittest

SOURCE = pathlib.Path(os.environ.get("ORGSIM_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[2]))
GUIDE = SOURCE / "docs" / "user-guide.md"


class UserGuideTest(unittest.TestCase):
    def test_links_resolve_and_figures_are_images(self):
        text = GUIDE.read_text(encoding="utf-8")
        targets = re.findall(r"\]\((user-guide/[^)#]+)\)", text)
        self.assertGreaterEqual(len([t for t in targets if t.endswith(".png")]), 5, targets)
        for target in targets:
            with self.subTest(target=target):
                path = GUIDE.parent / target
                self.assertTrue(path.is_file(), f"{target} is linked but not committed")
                if path.suffix == ".png":
                    data = path.read_bytes()
                    self.assertEqual(data[:8], b"\x89PNG\r\n\x1a\n", target)
                    width, height = struct.unpack(">II", data[16:24])
                    self.assertGreaterEqual(min(width, height), 300, target)
        # The report the guide links to shows the figures committed beside it.
        report = (GUIDE.parent / "user-guide" / "compare-report" / "index.html").read_text(encoding="utf-8")
        for image in re.findall(r'<img src="([^"]+)"', report):
            self.assertTrue((GUIDE.parent / "user-guide" / "compare-report" / image).is_file(), image)


if __name__ == "__main__":
    unittest.main()
