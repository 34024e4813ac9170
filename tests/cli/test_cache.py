#!/usr/bin/env python3
"""The command's snapshot cache (issue #14): the second command on an
unchanged dataset opens the cached snapshot instead of the CSV files, with
the same output byte for byte; a changed file, another --encoding or a
damaged snapshot is never used (it is rebuilt silently); --no-cache and
SALESMGMT_NO_CACHE read the CSV files and write nothing; `check` never uses
the cache; --policy goes on top of a cached dataset as on a loaded one.

usage: test_cache.py SALESMGMT SAMPLE_DIR
"""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

EXE = SAMPLE = None


class CacheTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="smg_cache_")
        self.cache = os.path.join(self.tmp, "cache")
        self.data = os.path.join(self.tmp, "data")
        shutil.copytree(SAMPLE, self.data)

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def run_cli(self, *args, env=None):
        e = dict(os.environ, XDG_CACHE_HOME=self.cache)
        e.pop("SALESMGMT_NO_CACHE", None)
        e.update(env or {})
        p = subprocess.run([EXE, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=240, env=e)
        return p.returncode, p.stdout, p.stderr.decode("utf-8")

    def snaps(self):
        d = os.path.join(self.cache, "salesmgmt")
        return sorted(os.listdir(d)) if os.path.isdir(d) else []

    def test_second_command_reads_the_snapshot(self):
        args = ("kpi", self.data, "--period", "2025", "--by", "member", "--format", "json")
        rc, first, err = self.run_cli(*args)
        self.assertEqual(rc, 0, err)
        self.assertEqual(len(self.snaps()), 1)
        snap = os.path.join(self.cache, "salesmgmt", self.snaps()[0])
        with open(snap, "rb") as f:
            self.assertEqual(f.read(8), b"\x89SMGSNP\n")
        mtime = os.stat(snap).st_mtime_ns
        # proof that the snapshot answers: put another dataset's snapshot
        # under this one's name, and the command gives the other's figures
        other = os.path.join(self.tmp, "other")
        shutil.copytree(SAMPLE, other)
        with open(os.path.join(other, "events.csv"), "a", encoding="utf-8") as f:
            f.write("2025-10-15T10:00,deal,m003,c0001,CACHE-D0,123456.00,,,,,,\n")
        rc, theirs, err = self.run_cli("kpi", other, *args[2:], env={
            "XDG_CACHE_HOME": os.path.join(self.tmp, "cache2")})
        self.assertEqual(rc, 0, err)
        self.assertNotEqual(theirs, first)
        d2 = os.path.join(self.tmp, "cache2", "salesmgmt")
        shutil.copy(os.path.join(d2, os.listdir(d2)[0]), snap)
        rc, swapped, err = self.run_cli(*args)
        self.assertEqual((rc, swapped), (0, theirs), err)
        os.unlink(snap)
        rc, second, err = self.run_cli(*args)
        self.assertEqual(rc, 0, err)
        self.assertEqual(second, first)
        mtime = os.stat(snap).st_mtime_ns
        rc, third, err = self.run_cli(*args)
        self.assertEqual(third, first)
        self.assertEqual(os.stat(snap).st_mtime_ns, mtime)  # read, not rewritten
        # every other command gives what --no-cache gives
        for cmd in (("pay", self.data, "--period", "2025-10"),
                    ("attribute", self.data),
                    ("targets", self.data, "--period", "2025-Q4"),
                    ("report", self.data, "--period", "2025-10")):
            rc, cached, err = self.run_cli(*cmd, "--format", "json")
            self.assertEqual(rc, 0, err)
            rc, fresh, err = self.run_cli(*cmd, "--format", "json", "--no-cache")
            self.assertEqual(rc, 0, err)
            self.assertEqual(cached, fresh, cmd[0])
        self.assertEqual(len(self.snaps()), 1)

    def test_a_changed_file_is_never_read_from_the_cache(self):
        args = ("kpi", self.data, "--period", "2025-10", "--by", "member", "--format", "csv")
        rc, before, err = self.run_cli(*args)
        self.assertEqual(rc, 0, err)
        with open(os.path.join(self.data, "events.csv"), "a", encoding="utf-8") as f:
            f.write("2025-10-15T10:00,deal,m003,c0001,CACHE-D1,123456.00,,,,,,\n")
        rc, after, err = self.run_cli(*args)
        self.assertEqual(rc, 0, err)
        self.assertNotEqual(after, before)
        rc, fresh, err = self.run_cli(*args, "--no-cache")
        self.assertEqual(after, fresh)
        self.assertEqual(len(self.snaps()), 2)  # one per version of the dataset
        # a change that breaks the dataset: the error, not a cached answer
        with open(os.path.join(self.data, "events.csv"), "a", encoding="utf-8") as f:
            f.write("2025-10-16T10:00,deal,m999,c0001,CACHE-D2,1.00,,,,,,\n")
        rc, out, err = self.run_cli(*args)
        self.assertEqual(rc, 2)
        self.assertIn('member "m999" does not exist', err)

    def test_damaged_snapshot_is_rebuilt(self):
        args = ("pay", self.data, "--period", "2025-10", "--format", "json")
        rc, first, err = self.run_cli(*args)
        self.assertEqual(rc, 0, err)
        snap = os.path.join(self.cache, "salesmgmt", self.snaps()[0])
        size = os.path.getsize(snap)
        with open(snap, "r+b") as f:
            f.seek(size // 2)
            b = f.read(1)
            f.seek(size // 2)
            f.write(bytes([b[0] ^ 0x40]))
        rc, second, err = self.run_cli(*args)
        self.assertEqual(rc, 0, err)
        self.assertEqual(err, "")  # silently
        self.assertEqual(second, first)
        rc, third, err = self.run_cli(*args)  # and it is whole again
        self.assertEqual(third, first)
        with open(snap, "rb") as f:
            self.assertEqual(len(f.read()), size)
        with open(snap, "r+b") as f:
            f.truncate(size // 3)
        rc, fourth, err = self.run_cli(*args)
        self.assertEqual((rc, err, fourth), (0, "", first))

    def test_off_switches_and_check(self):
        rc, _, err = self.run_cli("tiers", self.data, "--year", "2025", "--no-cache")
        self.assertEqual(rc, 0, err)
        rc, _, err = self.run_cli("tiers", self.data, "--year", "2025",
                                  env={"SALESMGMT_NO_CACHE": "1"})
        self.assertEqual(rc, 0, err)
        rc, _, err = self.run_cli("check", self.data)
        self.assertEqual(rc, 0, err)
        self.assertEqual(self.snaps(), [])
        rc, _, err = self.run_cli("tiers", self.data, "--year", "2025", "--no-cache=1")
        self.assertEqual(rc, 1)

    def test_unusable_cache_folder_or_file(self):
        """A cache folder that cannot be made (its parent is a file), or a
        FIFO where the snapshot should be: the command reads the CSV files
        and answers as without a cache."""
        args = ("pay", self.data, "--period", "2025-10", "--format", "json")
        rc, fresh, err = self.run_cli(*args, "--no-cache")
        self.assertEqual(rc, 0, err)
        blocker = os.path.join(self.tmp, "a-file")
        with open(blocker, "w") as f:
            f.write("x")
        rc, out, err = self.run_cli(*args, env={"XDG_CACHE_HOME": blocker})
        self.assertEqual((rc, err, out), (0, "", fresh))
        rc, out, err = self.run_cli(*args)
        self.assertEqual(rc, 0, err)
        snap = os.path.join(self.cache, "salesmgmt", self.snaps()[0])
        os.unlink(snap)
        os.mkfifo(snap)
        rc, out, err = self.run_cli(*args)  # never blocks on the FIFO
        self.assertEqual((rc, err, out), (0, "", fresh))
        with open(snap, "rb") as f:  # replaced by a snapshot again
            self.assertEqual(f.read(8), b"\x89SMGSNP\n")

    def test_policy_on_top_of_a_cached_dataset(self):
        pol = os.path.join(self.tmp, "other.conf")
        with open(pol, "w", encoding="utf-8") as f:
            f.write("attribution.protect_days = 30\n")
        args = ("attribute", self.data, "--format", "json")
        rc, plain, err = self.run_cli(*args)
        self.assertEqual(rc, 0, err)
        rc, cached, err = self.run_cli(*args, "--policy", pol)
        self.assertEqual(rc, 0, err)
        rc, fresh, err = self.run_cli(*args, "--policy", pol, "--no-cache")
        self.assertEqual(cached, fresh)
        self.assertNotEqual(cached, plain)
        rc, again, err = self.run_cli(*args)  # the cache holds the dataset's own policy
        self.assertEqual(again, plain)


if __name__ == "__main__":
    EXE, SAMPLE = sys.argv[1], sys.argv[2]
    unittest.main(argv=sys.argv[:1], verbosity=2)
