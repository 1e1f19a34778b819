"""Command line: ``python -m fer_repro data {import,verify,where}``."""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m fer_repro")
    sub = ap.add_subparsers(dest="group", required=True)
    data = sub.add_parser("data", help="data sets: import, verify, where")
    dsub = data.add_subparsers(dest="cmd", required=True)
    imp = dsub.add_parser("import", help="import a Kaggle fer2013.csv or train/test image folders")
    imp.add_argument("path")
    imp.add_argument("--dest", default="data", help="output folder (default ./data, on the search path)")
    dsub.add_parser("verify", help="load and verify every data set found on the search path")
    dsub.add_parser("where", help="print the data search path")
    args = ap.parse_args(argv)

    from . import data as D

    if args.cmd == "where":
        for p in D.search_path():
            print(p)
        return 0
    try:
        if args.cmd == "import":
            out = D.import_fer2013(args.path, args.dest)
            print(f"wrote {out} (verified: 35,887 images, official split counts)")
            return 0
        status = 0
        for name, loader in (("fer2013.npz", D.load_fer2013), ("ckplus48.npz", D.load_ckplus48),
                             ("kdef_subset3.npz", D.load_kdef_subset)):
            try:
                ds = loader()
                print(f"ok       {name}: {len(ds)} images, checksum {ds.checksum[:12]} ({ds.path})")
            except D.DataError as e:
                print(f"PROBLEM  {e}")
                status = 1
        return status
    except D.DataError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
