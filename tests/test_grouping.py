"""Where grouping puts a message does not depend on the process that runs the batch."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

# A message as close to an older group as to a newer one, each found through a different word: the order in
# which a process iterates the message's word set decides which is seen first.
TIE = """
from intake.services.drafts import grouping
grouper = grouping.Grouper()
older, newer = grouper.new_group("older", "路灯"), grouper.new_group("newer", "路灯")
grouper.add(older, grouping.entry({"places": [], "words": ["路灯", "小区", "晚上"]}))
grouper.add(newer, grouping.entry({"places": [], "words": ["损坏", "道路", "雨天"]}))
print(grouper.place(grouping.entry({"places": [], "words": ["路灯", "损坏"]}), "路灯").key)
"""


def test_a_message_equally_close_to_two_groups_joins_the_older_in_every_process():
    root = Path(__file__).resolve().parents[1]
    placed = set()
    for seed in range(8):  # string hashing differs between processes unless fixed: try several
        env = {**os.environ, "PYTHONHASHSEED": str(seed), "PYTHONPATH": str(root)}
        out = subprocess.run([sys.executable, "-c", TIE], env=env, cwd=root, capture_output=True, text=True,
                             check=True)
        placed.add(out.stdout.strip())
    assert placed == {"older"}
