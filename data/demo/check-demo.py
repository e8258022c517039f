#!/usr/bin/env python3
# check-demo.py: the bundled demo recording is exactly what make-demo.py writes
# SPDX-License-Identifier: GPL-3.0-or-later

import filecmp
import subprocess
import sys
import tempfile
import os

make, bundled = sys.argv[1], sys.argv[2]
with tempfile.TemporaryDirectory() as tmp:
    fresh = os.path.join(tmp, 'demo.sonde.jsonl')
    subprocess.run([sys.executable, make, fresh], check=True)
    if not filecmp.cmp(fresh, bundled, shallow=False):
        print(f'{bundled} is not what {make} writes; run it again to update the demo')
        sys.exit(1)
print('the demo recording matches its generator')
