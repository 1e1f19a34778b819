"""Command line: ``python -m fer_repro data {import,verify,where}`` and
``python -m fer_repro campaign {plan,run,status}``."""

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
    camp = sub.add_parser("campaign", help="long training runs that resume across interruptions")
    csub = camp.add_subparsers(dest="cmd", required=True)
    csub.add_parser("plan", help="the queue, in the order it is trained")
    crun = csub.add_parser("run", help="train the queue for some hours (resumes where it stopped)")
    crun.add_argument("--hours", type=float, required=True)
    crun.add_argument("--threads", type=int, default=None, help="torch threads (default: torch's)")
    crun.add_argument("--nice", type=int, default=10, help="niceness of the training process")
    crun.add_argument("--only", nargs="*", default=None, help="job ids to train (default: all)")
    crun.add_argument("--executor", choices=("inline", "local", "slurm"), default="inline",
                      help="inline: this process; local/slurm: through submitit")
    crun.add_argument("--on-code-change", choices=("refuse", "restart"), default="refuse",
                      help="a checkpoint made by other training code: refuse, or restart the run")
    crun.add_argument("--workers", type=int, default=1,
                      help="local/slurm: submit this many workers (the job locks keep them on "
                      "different jobs)")
    crun.add_argument("--partition", default=None, help="slurm: the partition to submit to")
    crun.add_argument("--account", default=None, help="slurm: the account to charge")
    cst = csub.add_parser("status", help="each job: state, epoch, best validation, CPU-hours")
    cst.add_argument("--save", action="store_true",
                     help="also write results/campaign/status.json for the book's campaign page")
    args = ap.parse_args(argv)
    if args.group == "campaign":
        return _campaign(args)

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


def _campaign(args: argparse.Namespace) -> int:
    import os

    from . import campaign as C

    if args.cmd == "plan":
        for j in C.jobs():
            print(f"{j.item}  {j.id:42s} {j.epochs:4d} epochs  {j.what}")
        print(f"checkpoints under {C.campaign_dir()} (FER_REPRO_CAMPAIGN overrides)")
        return 0
    if args.cmd == "status":
        import pandas as pd

        with pd.option_context("display.width", 250, "display.max_colwidth", 40):
            print(C.status().drop(columns=["what"]).to_string(index=False))
        if args.save:
            print(f"wrote {C.save_status()}")
        return 0
    os.nice(args.nice)
    if args.executor == "inline":
        out = C.run(args.hours, args.threads, args.only, on_code_change=args.on_code_change)
    else:
        slurm = {k: v for k, v in (("slurm_partition", args.partition),
                                   ("slurm_account", args.account)) if v}
        submitted = [C.submit(args.hours, args.executor, args.threads, args.only,
                              on_code_change=args.on_code_change, **slurm)
                     for _ in range(max(args.workers, 1))]
        for job in submitted:
            print(f"submitted {job.job_id} ({args.executor})", flush=True)
        if args.executor == "slurm":
            return 0
        out = {}
        for job in submitted:  # local workers: report each job's outcome once
            out.update({k: v for k, v in job.result().items() if v != "busy" or k not in out})
    for k, v in out.items():
        print(f"{k}: {v}")
    return 1 if any(v.startswith(("refused", "failed")) for v in out.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
