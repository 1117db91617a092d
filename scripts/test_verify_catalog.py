#!/usr/bin/env python3
"""Unit tests of scripts/verify-catalog's parsing, on cuts of real wheels (Fixtures/wheels/,
provenance in its README) and real PyPI file names. No network: nothing here fetches.

Run: python3 scripts/test_verify_catalog.py  (TorchCatalogVerifierTests runs it in `make test`).
"""

import importlib.machinery
import importlib.util
import io
import json
import os
import tempfile
import unittest
import zlib
from contextlib import redirect_stderr, redirect_stdout

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "Fixtures", "wheels")


def load_script():
    path = os.path.join(ROOT, "scripts", "verify-catalog")
    loader = importlib.machinery.SourceFileLoader("verify_catalog", path)
    spec = importlib.util.spec_from_loader("verify_catalog", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


vc = load_script()


def fixture(name):
    with open(os.path.join(FIXTURES, name), "rb") as f:
        return f.read()


# Real file names from https://pypi.org/simple/torch/ (2026-12-06): torch 2.10.0's Linux wheels,
# where x86_64 was re-uploaded with build tag 3 on 2026-03-11.
TORCH_2_10_0_LINUX = [
    "torch-2.10.0-3-cp310-cp310-manylinux_2_28_x86_64.whl",
    "torch-2.10.0-3-cp312-cp312-manylinux_2_28_x86_64.whl",
    "torch-2.10.0-3-cp313-cp313t-manylinux_2_28_x86_64.whl",
    "torch-2.10.0-cp312-cp312-manylinux_2_28_aarch64.whl",
    "torch-2.10.0-cp312-cp312-manylinux_2_28_x86_64.whl",
    "torch-2.10.0-cp313-cp313-manylinux_2_28_x86_64.whl",
    "torch-2.10.0-cp314-cp314t-manylinux_2_28_x86_64.whl",
]
TORCH_1_12_1_LINUX = [
    "torch-1.12.1-cp37-cp37m-manylinux1_x86_64.whl",
    "torch-1.12.1-cp310-cp310-manylinux1_x86_64.whl",
    "torch-1.12.1-cp39-cp39-manylinux1_x86_64.whl",
    "torch-1.12.1-cp310-cp310-manylinux2014_aarch64.whl",
]


def files(names):
    return [{"filename": n, "wheel": vc.parse_wheel_name(n)} for n in names]


class WheelNames(unittest.TestCase):
    def test_build_tag_and_platform(self):
        w = vc.parse_wheel_name("torch-2.10.0-3-cp313-cp313t-manylinux_2_28_x86_64.whl")
        self.assertEqual((w["version"], w["build"], w["abi"]), ("2.10.0", "3", "cp313t"))
        self.assertEqual(vc.python_tag(w), "cp313t")
        self.assertEqual(vc.wheel_machine(w["platform"]), "x86_64")
        old = vc.parse_wheel_name("torch-1.12.1-cp37-cp37m-manylinux1_x86_64.whl")
        self.assertEqual(vc.python_tag(old), "cp37")
        self.assertEqual(vc.wheel_machine("manylinux2014_aarch64"), "aarch64")
        self.assertIsNone(vc.wheel_machine("macosx_11_0_arm64"))
        self.assertIsNone(vc.wheel_machine("win_amd64"))

    def test_pick_prefers_cp312_and_the_highest_build_tag(self):
        x86 = [f for f in files(TORCH_2_10_0_LINUX) if f["filename"].endswith("x86_64.whl")]
        self.assertEqual(vc.pick_wheel(x86)["filename"], "torch-2.10.0-3-cp312-cp312-manylinux_2_28_x86_64.whl")

    def test_pick_takes_the_nearest_cpython_when_there_is_no_cp312(self):
        x86 = [f for f in files(TORCH_1_12_1_LINUX) if f["filename"].endswith("x86_64.whl")]
        self.assertEqual(vc.pick_wheel(x86)["filename"], "torch-1.12.1-cp310-cp310-manylinux1_x86_64.whl")

    def test_pick_prefers_the_gil_build_over_free_threaded(self):
        both = files(["torch-2.15.0-cp315-cp315t-manylinux_2_28_x86_64.whl",
                      "torch-2.15.0-cp315-cp315-manylinux_2_28_x86_64.whl"])
        self.assertEqual(vc.pick_wheel(both)["filename"], "torch-2.15.0-cp315-cp315-manylinux_2_28_x86_64.whl")

    def test_newest_manylinux_wins_between_equal_tags(self):
        self.assertEqual(vc.manylinux_glibc("manylinux_2_17_x86_64.manylinux2014_x86_64"), (2, 17))
        self.assertEqual(vc.manylinux_glibc("manylinux1_x86_64"), (2, 5))
        two = files(["torch-2.2.0-cp312-cp312-manylinux1_x86_64.whl",
                     "torch-2.2.0-cp312-cp312-manylinux_2_28_x86_64.whl"])
        self.assertEqual(vc.pick_wheel(two)["filename"], "torch-2.2.0-cp312-cp312-manylinux_2_28_x86_64.whl")


class ZipByRange(unittest.TestCase):
    def test_central_directory_of_a_real_wheel(self):
        # The cut starts at the central directory's offset, so offsets in the end record are
        # relative to the wheel: subtract the cut's start (1808187, see the README).
        data = fixture("torchaudio-2.11.1.zip-central-directory")
        cd_offset, cd_size, entries = vc.find_eocd(data)
        self.assertEqual((cd_offset, entries), (1808187, 105))
        self.assertEqual(cd_size, len(data) - 22)
        members = vc.parse_central_directory(data[:cd_size])
        self.assertEqual(len(members), 105)
        self.assertIn("torchaudio-2.11.1.dist-info/METADATA", members)
        self.assertIn("torchaudio/version.py", members)
        method, comp, uncomp, offset = members["torchaudio/version.py"]
        self.assertEqual(method, 8)
        self.assertLess(offset + comp, cd_offset)

    def test_end_record_of_a_real_torch_wheel(self):
        # The last 4096 bytes of the 2.15.0 x86_64 wheel: the central directory ends where the
        # 22-byte end record starts.
        data = fixture("torch-2.15.0-x86_64.zip-tail")
        size = 539172785
        cd_offset, cd_size, entries = vc.find_eocd(data)
        self.assertEqual(cd_offset + cd_size, size - 22)
        self.assertGreater(entries, 10000)

    def test_local_header_and_deflated_member(self):
        local = fixture("torch-2.15.0-x86_64.version.py.zip-slice")
        (compressed,) = vc.struct.unpack("<I", local[18:22])
        text = vc.member_data(local, 8, compressed)
        self.assertEqual(text, fixture("torch-2.15.0-x86_64.version.py"))
        (crc,) = vc.struct.unpack("<I", local[14:18])
        self.assertEqual(zlib.crc32(text), crc)

    def test_cut_short_member_is_an_error(self):
        local = fixture("torch-2.15.0-x86_64.version.py.zip-slice")
        (compressed,) = vc.struct.unpack("<I", local[18:22])
        with self.assertRaises(vc.VerifyError):
            vc.member_data(local[:-10], 8, compressed)

    def test_no_end_record(self):
        with self.assertRaises(vc.VerifyError):
            vc.find_eocd(fixture("torch-2.15.0-x86_64.version.py"))


class VersionPy(unittest.TestCase):
    def test_cuda_build(self):
        info = vc.parse_version_py(fixture("torch-2.15.0-x86_64.version.py").decode())
        self.assertEqual(info["cuda"], "13.2")
        self.assertTrue(info["version"].startswith("2.15.0"))

    def test_cpu_build(self):
        info = vc.parse_version_py(fixture("torch-2.10.0-aarch64.version.py").decode())
        self.assertIsNone(info["cuda"])
        self.assertEqual(vc.variant_of(info["cuda"]), "cpu")

    def test_companion_local_version(self):
        info = vc.parse_version_py(fixture("torchvision-0.29.2.version.py").decode())
        self.assertEqual(info["version"], "0.29.2+cu132")


class Metadata(unittest.TestCase):
    def test_torch_cuda_13_requirements(self):
        meta = vc.parse_metadata(fixture("torch-2.15.0-x86_64.METADATA-head").decode())
        self.assertEqual(meta["requires_python"], ">=3.11")
        self.assertEqual(vc.requires_python_min(meta["requires_python"]), "3.11")
        deps = vc.cuda_deps(meta["requires_dist"])
        self.assertTrue(any(d.startswith("cuda-toolkit[") and "==13.2.2" in d for d in deps), deps)
        self.assertFalse(any(d.startswith("triton") for d in deps))
        self.assertIsNone(vc.torch_requirement(meta["requires_dist"]))

    def test_aarch64_cpu_wheel_marks_its_nvidia_deps_x86_64_only(self):
        meta = vc.parse_metadata(fixture("torch-2.10.0-aarch64.METADATA-head").decode())
        deps = vc.cuda_deps(meta["requires_dist"])
        self.assertTrue(deps)
        self.assertTrue(all('platform_machine == "x86_64"' in d for d in deps), deps)

    def test_companion_torch_requirements(self):
        new = vc.parse_metadata(fixture("torchvision-0.29.2.METADATA-head").decode())
        self.assertEqual(vc.torch_requirement(new["requires_dist"]), ">=2.14.0")
        self.assertEqual(new["requires_python"], ">=3.10,!=3.14.1")
        old = vc.parse_metadata(fixture("torchvision-0.13.0.METADATA-head").decode())
        self.assertEqual(vc.torch_requirement(old["requires_dist"]), "==1.12.0")
        # torchaudio 2.11.0 declares no requirement at all: pip installs it beside any torch.
        none = vc.parse_metadata(fixture("torchaudio-2.11.0.METADATA-head").decode())
        self.assertIsNone(vc.torch_requirement(none["requires_dist"]))
        self.assertEqual(vc.requirement_text(None), "none")

    def test_torchvision_is_not_torch(self):
        self.assertIsNone(vc.torch_requirement(["torchvision==0.29.2", "torchaudio"]))
        self.assertEqual(vc.torch_requirement(["torch"]), "")


class Specifiers(unittest.TestCase):
    def test_pins(self):
        self.assertTrue(vc.specifier_admits(">=2.14.0", "2.14.1"))
        self.assertFalse(vc.specifier_admits(">=2.14.0", "2.13.0"))
        self.assertFalse(vc.specifier_admits("==2.14.0", "2.14.1"))
        self.assertTrue(vc.specifier_admits(">=2.11", "2.15.0"))
        self.assertTrue(vc.specifier_admits("==2.14.0.*", "2.14.0"))
        self.assertTrue(vc.specifier_admits("~=3.9.0", "3.9.4"))
        self.assertFalse(vc.specifier_admits("~=3.9.0", "3.10.0"))
        self.assertFalse(vc.specifier_admits(">=3.10,!=3.14.1", "3.14.1"))


class ArchString(unittest.TestCase):
    def test_cuda_13_wheel(self):
        found = vc.arch_strings(fixture("torch-2.15.0-x86_64.libtorch_python.so-slice"))
        self.assertEqual(found, ["sm_75 sm_80 sm_86 sm_90 sm_100 sm_120"])
        sass, ptx = vc.split_arch(found[0])
        self.assertEqual(sass, ["7.5", "8.0", "8.6", "9.0", "10.0", "12.0"])
        self.assertEqual(ptx, [])

    def test_cuda_10_2_wheel_has_no_sm_35(self):
        found = vc.arch_strings(fixture("torch-1.12.1-x86_64.libtorch_python.so-slice"))
        self.assertEqual(found, ["sm_37 sm_50 sm_60 sm_70"])

    def test_ptx_and_arch_specific_entries(self):
        # The shape of download.pytorch.org's aarch64 cu130 string (pytorch/pytorch RELEASE.md:
        # 8.0 ... 12.0+PTX); PyPI's own wheels carry no compute_XX, so no cut of one exists here.
        sass, ptx = vc.split_arch("sm_80 sm_90 sm_100 sm_110 sm_120 compute_120")
        self.assertEqual((sass[-1], ptx), ("12.0", ["12.0"]))
        self.assertEqual(vc.capability("sm_90a"), "9.0a")
        self.assertEqual(vc.capability("sm_37"), "3.7")


# Real values from PyPI's simple index and the companions' METADATA (2026-12-06).
TORCHVISION = [
    {"version": "0.29.0", "uploaded": "2026-09-02T13:46:55", "requires_torch": "==2.14.0"},
    {"version": "0.29.1", "uploaded": "2026-09-30T17:56:59", "requires_torch": ">=2.14.0"},
    {"version": "0.29.2", "uploaded": "2026-10-28T15:21:34", "requires_torch": ">=2.14.0"},
]
TORCHAUDIO = [
    {"version": "2.10.0", "uploaded": "2026-01-21T16:28:15", "requires_torch": "==2.10.0"},
    {"version": "2.11.0", "uploaded": "2026-03-23T18:13:22", "requires_torch": None},
    {"version": "2.11.1", "uploaded": "2026-10-28T15:21:45", "requires_torch": ">=2.11"},
]


class Companions(unittest.TestCase):
    def pick(self, torch, uploaded, candidates):
        c, how = vc.pick_companion(torch, uploaded, candidates)
        return (c["version"] if c else None, how)

    def test_exact_pin_then_nearest_upload(self):
        self.assertEqual(self.pick("2.14.0", "2026-09-02T13:43:43", TORCHVISION), ("0.29.0", "with"))
        self.assertEqual(self.pick("2.14.1", "2026-09-30T17:44:37", TORCHVISION), ("0.29.1", "with"))
        self.assertEqual(self.pick("2.15.0", "2026-10-28T15:17:10", TORCHVISION), ("0.29.2", "with"))

    def test_an_older_release_that_still_admits_it(self):
        self.assertEqual(self.pick("2.12.0", "2026-05-13T14:51:07", TORCHAUDIO), ("2.11.0", "earlier"))
        self.assertEqual(self.pick("2.14.1", "2026-09-30T17:44:37", TORCHAUDIO), ("2.11.0", "earlier"))
        self.assertEqual(self.pick("2.15.0", "2026-10-28T15:17:10", TORCHAUDIO), ("2.11.1", "with"))

    def test_nothing_admits_it(self):
        self.assertEqual(self.pick("2.13.0", "2026-07-08T16:01:59", TORCHVISION), (None, ""))


def row(**values):
    base = {c: "" for c in vc.COLUMNS}
    base.update(values)
    return base


# torch 2.14.1 as PyPI has it (values of the committed results file).
ROWS_2_14_1 = [
    row(torch="2.14.1", machine="x86_64", wheel="torch-2.14.1-cp312-cp312-manylinux_2_28_x86_64.whl",
        requires_python=">=3.10", python_tags="cp310 cp311 cp312 cp313 cp314 cp314t", cuda="13.0",
        libtorch_cuda="yes", sass="7.5 8.0 8.6 9.0 10.0 12.0", ptx="",
        arch_string="sm_75 sm_80 sm_86 sm_90 sm_100 sm_120", torchvision="0.29.1", torchvision_pairing="with",
        torchvision_requires="torch>=2.14.0", torchaudio="2.11.0", torchaudio_pairing="earlier"),
    row(torch="2.14.1", machine="aarch64", wheel="torch-2.14.1-cp312-cp312-manylinux_2_28_aarch64.whl",
        requires_python=">=3.10", python_tags="cp310 cp311 cp312 cp313 cp314 cp314t", cuda="13.0",
        libtorch_cuda="yes", sass="8.0 9.0 10.0 11.0 12.0", ptx="",
        arch_string="sm_80 sm_90 sm_100 sm_110 sm_120", torchvision="0.29.1", torchvision_pairing="with",
        torchaudio="2.11.0", torchaudio_pairing="earlier"),
]


def catalog_2_14(ptx, python_max, torchvision_2_14_1):
    build = {"variant": "cu130", "sass": ["7.5", "8.0", "8.6", "9.0", "10.0", "12.0"], "ptx": ptx}
    return {"releases": [{
        "minor": "2.14", "python": {"min": "3.10", "max": python_max},
        "patches": [{"torch": "2.14.1", "torchvision": torchvision_2_14_1, "torchaudio": "2.11.0"}],
        "pypi_default": {"variant": "cu130", "builds": {
            "x86_64": build,
            "aarch64": {"variant": "cu130", "sass": ["8.0", "9.0", "10.0", "11.0", "12.0"], "ptx": []}}},
        "variants": [{"name": "cu130", "builds": {"x86_64": {"sass": [], "ptx": ["12.0"]}}}],
    }]}


def messages(catalog, rows):
    return [f.message for f in vc.compare(catalog, rows)]


class Compare(unittest.TestCase):
    def test_agreement(self):
        self.assertEqual(vc.compare(catalog_2_14([], "3.14", "0.29.1"), ROWS_2_14_1), [])

    def test_each_disagreement_is_one_line(self):
        problems = messages(catalog_2_14(["12.0"], "3.15", None), ROWS_2_14_1)
        self.assertEqual(len(problems), 3, problems)
        self.assertTrue(any("PTX is [] in the wheel" in p and "[12.0]" in p and "x86_64" in p for p in problems))
        self.assertTrue(any("highest CPython wheel on PyPI is 3.14" in p and "python.max is 3.15" in p for p in problems))
        self.assertTrue(any("torchvision 0.29.1" in p and "catalog says null" in p for p in problems))
        self.assertTrue(all("\n" not in p for p in problems))

    def test_index_variants_are_not_compared(self):
        # The catalog's cu130 index variant has PTX 12.0 and no SASS: not PyPI's, not a finding.
        self.assertEqual(vc.compare(catalog_2_14([], "3.14", "0.29.1"), ROWS_2_14_1), [])

    def test_missing_line_patch_and_machine(self):
        catalog = catalog_2_14([], "3.14", "0.29.1")
        del catalog["releases"][0]["pypi_default"]["builds"]["aarch64"]
        catalog["releases"][0]["patches"].append({"torch": "2.14.2", "torchvision": None, "torchaudio": None})
        rows = ROWS_2_14_1 + [dict(ROWS_2_14_1[0], torch="2.16.0")]
        problems = messages(catalog, rows)
        self.assertTrue(any(p.startswith("2.16: PyPI has torch 2.16.0") for p in problems), problems)
        self.assertTrue(any("lists torch 2.14.2; PyPI has no Linux wheel" in p for p in problems), problems)
        self.assertTrue(any("aarch64" in p and "has no aarch64 build" in p for p in problems), problems)

    def test_cpu_default(self):
        catalog = catalog_2_14([], "3.14", "0.29.1")
        rows = [dict(ROWS_2_14_1[1], cuda="None", libtorch_cuda="no", sass="", ptx="", arch_string="")]
        problems = messages(catalog, rows)
        self.assertEqual(len(problems), 1, problems)
        self.assertIn("PyPI's wheel is cpu (version.py cuda None); the catalog's pypi_default says cu130", problems[0])


class CommandLine(unittest.TestCase):
    def run_compare(self, catalog, accepted=""):
        with tempfile.TemporaryDirectory() as tmp:
            results = os.path.join(tmp, "pypi-wheels.tsv")

            class Args:
                from_version, to_version = "2.14.1", "2.14.1"

            vc.write_results(results, ROWS_2_14_1, Args)
            path = os.path.join(tmp, "pytorch.json")
            with open(path, "w") as f:
                json.dump(catalog, f)
            accepted_path = os.path.join(tmp, "accepted.tsv")
            with open(accepted_path, "w") as f:
                f.write("# test\n" + "\t".join(vc.ACCEPTED_COLUMNS) + "\n" + accepted)
            out, err = io.StringIO(), io.StringIO()
            with redirect_stdout(out), redirect_stderr(err):
                status = vc.main(["compare", "--results", results, "--catalog", path, "--accepted", accepted_path])
            return status, out.getvalue(), err.getvalue()

    def test_exit_status(self):
        status, out, _ = self.run_compare(catalog_2_14([], "3.14", "0.29.1"))
        self.assertEqual((status, out), (0, ""))
        status, out, err = self.run_compare(catalog_2_14(["12.0"], "3.14", "0.29.1"))
        self.assertEqual(status, 1)
        self.assertEqual(len(out.splitlines()), 1)
        self.assertIn("1 disagreement", err)

    def test_accepted_disagreement_is_printed_and_passes(self):
        line = "2.14.1\tx86_64\tptx\t-\t12.0\tindex build's PTX, recorded on purpose\n"
        status, out, _ = self.run_compare(catalog_2_14(["12.0"], "3.14", "0.29.1"), line)
        self.assertEqual(status, 0)
        self.assertTrue(out.startswith("accepted: 2.14: torch 2.14.1 x86_64"), out)
        self.assertIn("why: index build's PTX", out)

    def test_stale_acceptance_fails(self):
        line = "2.14.1\tx86_64\tptx\t-\t12.0\tindex build's PTX, recorded on purpose\n"
        status, out, err = self.run_compare(catalog_2_14([], "3.14", "0.29.1"), line)
        self.assertEqual(status, 1)
        self.assertTrue(out.startswith("stale: "), out)
        self.assertIn("1 stale", err)

    def test_acceptance_needs_a_reason(self):
        status, _, err = self.run_compare(catalog_2_14([], "3.14", "0.29.1"), "2.14.1\tx86_64\tptx\t-\t12.0\t\n")
        self.assertEqual(status, 2)
        self.assertIn("with a reason", err)

    def test_missing_results_file(self):
        err = io.StringIO()
        with redirect_stderr(err):
            status = vc.main(["compare", "--results", os.path.join(FIXTURES, "absent.tsv")])
        self.assertEqual(status, 2)
        self.assertIn("run scripts/verify-catalog fetch first", err.getvalue())


class CommittedResults(unittest.TestCase):
    """catalog/pypi-wheels.tsv as fetch wrote it: every row names its wheel and its hash."""

    def test_rows(self):
        rows = vc.read_results(os.path.join(ROOT, "catalog", "pypi-wheels.tsv"))
        seen = set()
        for r in rows:
            w = vc.parse_wheel_name(r["wheel"])
            self.assertEqual((w["name"], w["version"]), ("torch", r["torch"]), r["wheel"])
            self.assertEqual(vc.wheel_machine(w["platform"]), r["machine"], r["wheel"])
            self.assertRegex(r["sha256"], r"^[0-9a-f]{64}$")
            self.assertIn(vc.python_tag(w), r["python_tags"].split())
            self.assertEqual(r["libtorch_cuda"] == "yes", r["cuda"] != "None", r["wheel"])
            if r["arch_string"]:
                self.assertEqual(vc.split_arch(r["arch_string"]), (r["sass"].split(), r["ptx"].split()))
            self.assertNotIn((r["torch"], r["machine"]), seen)
            seen.add((r["torch"], r["machine"]))
        machines = {m for _, m in seen}
        self.assertEqual(machines, {"x86_64", "aarch64"})


class TorchNPU(unittest.TestCase):
    """torch_npu wheels: what each requires of torch, per machine (fetch-npu, compare-npu)."""

    def requirements(self, name):
        return vc.npu_requirements(vc.parse_metadata(fixture(name).decode())["requires_dist"])

    def test_x86_64_wheel_requires_the_cpu_build(self):
        self.assertEqual(self.requirements("torch_npu-2.5.1-x86_64.METADATA-head"),
                         {"torch": "==2.5.1+cpu", "requires": [], "extras": {}})

    def test_aarch64_wheel_requires_plain_torch(self):
        self.assertEqual(self.requirements("torch_npu-2.5.1-aarch64.METADATA-head")["torch"], "==2.5.1")

    def test_extras_are_not_requirements(self):
        req = self.requirements("torch_npu-2.9.0.post6-x86_64.METADATA-head")
        self.assertEqual(req["torch"], "==2.9.0+cpu")
        self.assertEqual(req["requires"], [])
        self.assertEqual(req["extras"], {"opt-einsum": ["opt-einsum>=3.3"], "optree": ["optree>=0.13.0"],
                                         "pyyaml": ["pyyaml"]})

    def test_no_requires_dist_declares_no_torch(self):
        # torch_npu 2.2.0's METADATA has no Requires-Dist (catalog/pypi-torch-npu.tsv).
        self.assertEqual(vc.npu_requirements([]), {"torch": None, "requires": [], "extras": {}})

    def test_pep_440_forms_are_one_version(self):
        # The catalog writes Ascend's `2.1.0.rc1`; PyPI's wheel is torch_npu-2.1.0rc1-....
        self.assertEqual(vc.normalize_version("2.1.0.rc1"), vc.normalize_version("2.1.0rc1"))
        self.assertEqual(vc.normalize_version("2.1.0.post6"), "2.1.0.post6")
        self.assertNotEqual(vc.normalize_version("2.1.0.post4"), vc.normalize_version("2.1.0.post3"))

    def rows(self):
        return [
            {"torch_npu": "2.5.1", "machine": "x86_64", "wheel": "torch_npu-2.5.1-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
             "torch_requirement": "torch==2.5.1+cpu", "requires": "", "extras": ""},
            {"torch_npu": "2.5.1", "machine": "aarch64", "wheel": "torch_npu-2.5.1-cp311-cp311-manylinux_2_17_aarch64.manylinux2014_aarch64.whl",
             "torch_requirement": "torch==2.5.1", "requires": "", "extras": ""},
            {"torch_npu": "2.1.0.post4", "machine": "", "wheel": "", "torch_requirement": ""},
        ]

    def test_compare_agreement_and_disagreement(self):
        good = {"torch_npu": [
            {"torch_npu": "2.5.1", "wheels": {"x86_64": {"torch": "==2.5.1+cpu"}, "aarch64": {"torch": "==2.5.1"}}},
            {"torch_npu": "2.1.0.post4", "wheels": {}},
        ]}
        self.assertEqual(vc.compare_npu(good, self.rows()), [])
        bad = json.loads(json.dumps(good))
        bad["torch_npu"][0]["wheels"]["x86_64"]["torch"] = "==2.5.1"
        del bad["torch_npu"][1]["wheels"]
        problems = [p.message for p in vc.compare_npu(bad, self.rows())]
        self.assertEqual(len(problems), 2, problems)
        self.assertIn("==2.5.1+cpu", problems[0])
        self.assertIn("torch_npu 2.1.0.post4: PyPI has no Linux wheel of it", problems[1])

    def test_committed_results_agree_with_the_catalog(self):
        with open(os.path.join(ROOT, "catalog", "pytorch.json")) as f:
            catalog = json.load(f)
        rows = vc.read_npu_results(os.path.join(ROOT, "catalog", "pypi-torch-npu.tsv"))
        self.assertEqual([p.message for p in vc.compare_npu(catalog, rows)], [])
        for r in rows:
            if r["wheel"]:
                w = vc.parse_wheel_name(r["wheel"])
                self.assertEqual(vc.normalize_version(w["version"]), vc.normalize_version(r["torch_npu"]))
                self.assertEqual(vc.wheel_machine(w["platform"]), r["machine"])
                self.assertRegex(r["sha256"], r"^[0-9a-f]{64}$")


if __name__ == "__main__":
    unittest.main(verbosity=1)
