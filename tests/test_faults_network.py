"""Faults the network package must survive: each becomes one clear error or a clean recovery.

Numbered as in the fault list they answer: 1 malformed model files, 2 non-finite settings and
divergence, 3 sizes that cannot fit, 4 an unwritable cache, 6 clean ``evaluate --json``,
8 bad inputs and labels for ``Network``, 12 export targets that are not regular files,
13 command-line and NN_* errors, 14 stale temporary files. (The download faults, 9 and 10,
are in test_mnist.py, next to its local server.)

Tests run as root, for whom a chmod-ed read-only folder is still writable, so an unwritable
cache is simulated with a regular file where the folder should be, and a full disk by
monkeypatching the free-space probe or the save itself.
"""

import errno
import json
import os
import stat
import time

import numpy as np
import pytest

from network import atomic, cli, store
from network.atomic import atomic_write
from network.model import Network, one_hot
from network.store import StoreError, config_from_env, load_trained
from network.train import (PRESETS, RANDOM_LABELS, TWEAKED, VIDEO, TooLarge, TrainConfig,
                           TrainingDiverged, check_fits, partly_trained, sgd)
from tests.test_store import write_fake_mnist

CONFIG = TrainConfig(sizes=(784, 10, 10), epochs=2, batch_size=20)
FLAGS = ["--layers", "784,10,10", "--epochs", "2", "--quiet"]


@pytest.fixture(autouse=True)
def no_nn_variables(monkeypatch):
    """The configuration comes from the test alone, not from the shell that runs it."""
    for name in ("NN_PRESET", "NN_LAYERS", "NN_ACTIVATION", "NN_COST", "MNIST_DIR"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def folder(tmp_path, tiny_data):
    """The tiny data set as an MNIST folder, for the command line."""
    path = tmp_path / "mnist"
    write_fake_mnist(path, tiny_data)
    return path


@pytest.fixture
def no_data(monkeypatch):
    """Fail the test if anything loads data: settings must be refused before that."""
    def refuse(*args, **kwargs):
        raise AssertionError("data was loaded before the settings were checked")
    monkeypatch.setattr("network.mnist.load_mnist", refuse)


def run(capsys, *argv):
    """``python -m network *argv`` in-process: (exit code, stdout, stderr)."""
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line_error(code, err, *needles):
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert "Traceback" not in err and "usage:" not in err
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])


# -- 1. a malformed model file is reported once and retrained --------------------------------

def rewrite(path, change):
    """Apply ``change(arrays, meta)`` to the model file at ``path``, which stays a valid npz:
    changes to ``meta`` (the parsed metadata) are written back unless ``change`` replaced
    the "meta" array itself."""
    with np.load(path, allow_pickle=False) as f:
        arrays = dict(f.items())
    original = arrays["meta"]
    meta = json.loads(str(original))
    change(arrays, meta)
    if arrays.get("meta") is original:
        arrays["meta"] = np.array(json.dumps(meta))
    np.savez(path, **arrays)


def drop(key):
    return lambda arrays, meta: meta.pop(key)


def set_meta(key, value):
    return lambda arrays, meta: meta.__setitem__(key, value)


def set_config(key, value):
    return lambda arrays, meta: meta["config"].__setitem__(key, value)


def set_array(key, value):
    return lambda arrays, meta: arrays.__setitem__(key, value)


DAMAGE = {
    "no config": drop("config"),
    "no data_identity": drop("data_identity"),
    "no seconds": drop("seconds"),
    "unknown config field": set_config("momentum", 0.9),
    "config field missing": lambda arrays, meta: meta["config"].pop("l2"),
    "config epochs as text": set_config("epochs", "2"),
    "config sizes as text": set_config("sizes", "784,10,10"),
    "config is a list": set_meta("config", [1, 2]),
    "negative train_size": set_meta("train_size", -5),
    "test_correct above test_size": set_meta("test_correct", 10**6),
    "train_size as text": set_meta("train_size", "600"),
    "seconds NaN": set_meta("seconds", float("nan")),
    "meta is a list": lambda arrays, meta: arrays.__setitem__("meta", np.array("[1, 2]")),
    "meta is not JSON": lambda arrays, meta: arrays.__setitem__("meta", np.array("{oops")),
    "meta is bytes": lambda arrays, meta: arrays.__setitem__("meta", np.array(b"{}")),
    "meta is numbers": set_array("meta", np.arange(3)),
    "sizes as text": set_array("sizes", np.array(["784", "10", "10"])),
    "weights as text": lambda arrays, meta: arrays.__setitem__(
        "weights_0", arrays["weights_0"].astype(str)),
    "no step_cost": lambda arrays, meta: arrays.pop("step_cost"),
    "step_cost too short": lambda arrays, meta: arrays.__setitem__(
        "step_cost", arrays["step_cost"][:-1]),
    "epoch_cost as text": set_array("epoch_cost", np.array(["a", "b"])),
}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_malformed_model_file_is_a_store_error_reported_once_and_replaced(tiny_data, tmp_path,
                                                                          damage):
    good = load_trained(CONFIG, tiny_data, directory=tmp_path, progress=False, log=lambda _: None)
    rewrite(good.path, DAMAGE[damage])
    with pytest.raises(StoreError):
        store.load(good.path, CONFIG, tiny_data.identity)
    lines = []
    again = load_trained(CONFIG, tiny_data, directory=tmp_path, progress=False, log=lines.append)
    reports = [line for line in lines if good.path.name in line and "retraining" in line]
    assert len(reports) == 1 and "\n" not in reports[0], lines
    assert np.array_equal(again.network.flat_parameters(), good.network.flat_parameters())
    store.load(good.path, CONFIG, tiny_data.identity)  # replaced by a sound file


def test_a_bare_npy_file_or_a_folder_in_place_of_the_model_is_a_store_error(tiny_data, tmp_path):
    path = store.model_path(CONFIG, tiny_data.identity, tmp_path)
    tmp_path.mkdir(exist_ok=True)
    with open(path, "wb") as f:
        np.save(f, np.arange(3))  # a valid .npy, not an .npz: np.load returns an array
    with pytest.raises(StoreError, match="unreadable"):
        store.load(path, CONFIG, tiny_data.identity)
    path.unlink()
    path.mkdir()
    with pytest.raises(StoreError, match="unreadable"):
        store.load(path, CONFIG, tiny_data.identity)
    lines = []
    model = load_trained(CONFIG, tiny_data, directory=tmp_path, progress=False, log=lines.append)
    assert model.path is None and path.is_dir()  # trained, used, not saved over the folder
    assert any("retraining" in line for line in lines)
    assert any(line.startswith("warning:") and "folder" in line for line in lines), lines


# -- 2. non-finite settings are refused; divergence stops training -----------------------------

@pytest.mark.parametrize("field, value, message", [
    ("eta", float("inf"), "eta must be a finite positive number, got inf"),
    ("eta", float("nan"), "eta must be a finite positive number, got nan"),
    ("eta", 0.0, "eta must be a finite positive number"),
    ("l2", float("nan"), "l2 must be a finite number >= 0, got nan"),
    ("l2", float("inf"), "l2 must be a finite number >= 0, got inf"),
    ("l2", -1.0, "l2 must be a finite number >= 0"),
    ("seed", -1, "seed must be a whole number >= 0, got -1"),
    ("epochs", 2.5, "epochs must be a whole number"),
    ("batch_size", "20", "batch_size must be a whole number"),
])
def test_train_config_refuses_impossible_settings_by_name(field, value, message):
    with pytest.raises(ValueError) as info:
        CONFIG.replace(**{field: value})
    assert message in str(info.value)


@pytest.mark.parametrize("flag, value", [("--eta", "inf"), ("--l2", "nan"), ("--l2", "inf"),
                                         ("--eta", "nan")])
def test_cli_refuses_non_finite_flags_before_loading_data(capsys, no_data, flag, value):
    code, out, err = run(capsys, "train", *FLAGS, flag, value)
    kind = "a finite positive number" if flag == "--eta" else "a finite number >= 0"
    assert_one_line_error(code, err, f"{flag} must be {kind}, got {value}")
    assert out == ""


def test_divergence_stops_training_with_a_clear_error(tiny_data):
    d = tiny_data
    with pytest.raises(TrainingDiverged, match=r"training diverged at epoch 1 of 2 \(the cost "
                                               r"became (nan|inf)\): lower the learning rate"):
        sgd(CONFIG.replace(eta=1e300), d.train_x, d.train_labels, d.test_x, d.test_labels)


def test_a_diverged_run_saves_nothing_and_the_cli_says_lower_eta(capsys, folder, tmp_path,
                                                                 monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("NN_EXPLAINED_CACHE", str(cache))
    code, out, err = run(capsys, "evaluate", "--json", *FLAGS, "--eta", "1e300",
                         "--mnist-dir", str(folder))
    assert code == 2 and out == ""  # no JSON (and no NaN) at all
    errors = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and errors[0] == err.strip().splitlines()[-1], err
    assert "training diverged at epoch 1 of 2" in errors[0] and "lower --eta (now 1e300)" in errors[0]
    assert "Traceback" not in err
    assert not list((cache / "models").glob("model-*.npz"))


def test_json_output_is_strict_json(capsys, folder):
    code, out, err = run(capsys, "evaluate", "--json", *FLAGS, "--mnist-dir", str(folder))
    assert code == 0, err
    # allow_nan=False: a NaN or infinity anywhere would have been an error, not "NaN"
    json.loads(out, parse_constant=lambda name: pytest.fail(f"{name} in the JSON"))


# -- 3. sizes that cannot fit are refused before anything is allocated ---------------------------

@pytest.mark.parametrize("config", [VIDEO, TWEAKED, PRESETS["relu"], RANDOM_LABELS,
                                    partly_trained(VIDEO),
                                    VIDEO.replace(sizes=(784, 1000, 10), epochs=5)],
                         ids=["video", "tweaked", "relu", "random-labels", "partly", "784-1000-10"])
def test_the_presets_fit_comfortably_on_the_full_set(config):
    estimate = check_fits(config)  # the full MNIST: 60,000 + 10,000 images
    assert estimate.bytes < 1e9 and estimate.seconds < 3600


def test_nn_layers_too_large_for_memory_is_refused_naming_the_variable():
    start = time.perf_counter()
    with pytest.raises(ValueError) as info:
        config_from_env({"NN_LAYERS": "784,100000,10"})
    message = str(info.value)
    assert message.startswith("NN_LAYERS=784,100000,10 needs about ")
    assert " GB of memory (the limit is 4.0 GB); use smaller layers" in message
    assert time.perf_counter() - start < 1  # estimated, not tried


def test_cli_refuses_a_billion_epochs_before_loading_data(capsys, no_data):
    code, _, err = run(capsys, "train", "--epochs", "1000000000", "--quiet")
    assert_one_line_error(code, err, "--epochs 1000000000 needs about", "TB of memory",
                          "use fewer epochs")


def test_cli_refuses_layers_too_large_naming_the_flag(capsys, no_data):
    code, _, err = run(capsys, "info", "--layers", "784,100000,10")
    assert_one_line_error(code, err, "--layers 784,100000,10 needs about", "use smaller layers")


def test_training_that_would_take_days_is_refused():
    with pytest.raises(TooLarge, match="would take at least .* days .*use fewer epochs") as info:
        check_fits(VIDEO.replace(sizes=(784, 10000, 10), epochs=5000))
    assert info.value.setting == "epochs"


def test_networks_too_large_to_build_are_refused_before_allocating():
    with pytest.raises(ValueError, match="parameters, more than the 100,000,000"):
        Network((784, 10**8, 10))
    with pytest.raises(ValueError, match="layers is more than"):
        Network((784,) + (2,) * 200 + (10,))


def test_sgd_checks_the_real_data_against_the_limits(tiny_data, monkeypatch):
    import network.train as train

    monkeypatch.setattr(train, "MAX_TRAINING_BYTES", 2_000_000)
    d = tiny_data
    with pytest.raises(TooLarge, match=r"training a 784-1000-10 network for 1 epoch needs "
                                       r"about .* MB of memory \(the limit is 2.0 MB\)"):
        sgd(CONFIG.replace(sizes=(784, 1000, 10), epochs=1), d.train_x, d.train_labels,
            d.test_x, d.test_labels)


# -- 4. an unwritable cache: warned about before training, the model kept in memory -------------

def test_cache_folder_that_is_a_file_trains_in_memory_with_one_warning(tiny_data, tmp_path,
                                                                      monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv("NN_EXPLAINED_CACHE", str(blocker))
    lines = []
    model = load_trained(CONFIG, tiny_data, progress=False, log=lines.append)
    assert model.path is None
    assert model.test_correct == model.network.evaluate(tiny_data.test_x, tiny_data.test_labels)
    warnings = [line for line in lines if line.startswith("warning:")]
    assert len(warnings) == 1 and str(blocker) in warnings[0]
    assert "NN_EXPLAINED_CACHE" in warnings[0] and ".part" not in warnings[0]
    assert lines.index(warnings[0]) < next(i for i, l in enumerate(lines) if l.startswith("training"))
    assert blocker.read_text().startswith("a file")


def test_a_full_disk_is_noticed_before_training(tiny_data, tmp_path, monkeypatch):
    from collections import namedtuple

    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(atomic.shutil, "disk_usage", lambda path: usage(10**9, 10**9, 0))
    monkeypatch.setattr(store, "save", lambda *a: pytest.fail("tried to save on a full disk"))
    lines = []
    model = load_trained(CONFIG, tiny_data, directory=tmp_path, progress=False, log=lines.append)
    assert model.path is None
    assert any(line.startswith("warning:") and str(tmp_path) in line and "bytes free" in line
               for line in lines), lines


def test_a_save_that_fails_after_training_keeps_the_model(tiny_data, tmp_path, monkeypatch):
    def disk_fills_up(model, path):
        raise OSError(errno.ENOSPC, f"cannot write {path}: No space left on device")

    monkeypatch.setattr(store, "save", disk_fills_up)
    lines = []
    model = load_trained(CONFIG, tiny_data, directory=tmp_path, progress=False, log=lines.append)
    assert model.path is None and model.network.num_parameters == 7960
    assert any(line.startswith("warning:") and "No space left" in line for line in lines)


def test_write_errors_name_the_target_never_the_temporary_file(tmp_path, monkeypatch):
    def full(src, dst):
        raise OSError(errno.ENOSPC, "No space left on device", str(src))

    monkeypatch.setattr(atomic.os, "replace", full)
    target = tmp_path / "model.npz"
    with pytest.raises(OSError) as info:
        with atomic_write(target) as f:
            f.write(b"x")
    assert str(target) in str(info.value) and ".part" not in str(info.value)
    assert "No space left on device" in str(info.value) and info.value.errno == errno.ENOSPC
    assert list(tmp_path.iterdir()) == []  # the temporary file is gone too


def test_cli_train_with_an_unwritable_cache_warns_and_reports(capsys, folder, tmp_path,
                                                              monkeypatch):
    blocker = tmp_path / "cache-file"
    blocker.write_text("")
    monkeypatch.setenv("NN_EXPLAINED_CACHE", str(blocker))
    code, out, err = run(capsys, "train", *FLAGS, "--mnist-dir", str(folder))
    assert code == 0, err
    assert "warning: model store: cannot save in" in out + err and "NN_EXPLAINED_CACHE" in out + err
    assert "test images correct" in out.strip().splitlines()[-1]
    assert ".part" not in out + err


# -- 6. evaluate --json: one JSON object on stdout; evaluate reports what it measures --------------

def test_evaluate_json_prints_exactly_one_json_object_with_progress_bars_on(capsys, folder):
    # no --quiet: the training progress bar runs, and must stay off stdout
    code, out, err = run(capsys, "evaluate", "--json", "--layers", "784,10,10", "--epochs", "2",
                         "--mnist-dir", str(folder))
    assert code == 0, err
    lines = out.splitlines()
    assert len(lines) == 1, out
    report = json.loads(lines[0])
    assert isinstance(report, dict) and report["test_size"] == 200
    assert "training" in err  # the log went to stderr


def test_evaluate_reports_the_accuracy_measured_now_not_the_stored_one(capsys, folder, tiny_data):
    code, out, err = run(capsys, "train", *FLAGS, "--mnist-dir", str(folder))
    assert code == 0, err
    path = next((store.cache_dir() / "models").glob("model-*.npz"))
    rewrite(path, set_meta("test_correct", 0))  # a valid file, but a stale score
    code, out, err = run(capsys, "evaluate", *FLAGS, "--mnist-dir", str(folder))
    assert code == 0, err
    model = store.load(path, CONFIG, _identity(folder))
    measured = model.network.evaluate(tiny_data.test_x, tiny_data.test_labels)
    assert measured > 0 and f"{measured} / 200 test images correct" in out


def _identity(folder):
    from network.mnist import load_mnist

    return load_mnist(folder, progress=False, log=lambda _: None).identity


# -- 8. Network: labels and inputs are checked; an empty batch works -------------------------------

@pytest.fixture
def net():
    return Network((784, 8, 10), seed=0)


@pytest.mark.parametrize("label", [-1, 10, 12])
def test_labels_outside_0_to_9_are_refused_everywhere(net, label):
    x = np.zeros((1, 784))
    with pytest.raises(ValueError, match=f"label {label} is not one of 0..9"):
        one_hot([label])
    for call in (lambda: net.cost(x, [label]), lambda: net.backprop(x, [label]),
                 lambda: net.evaluate(x, [label]), lambda: net.backprop(x[0], label)):
        with pytest.raises(ValueError, match=f"label {label} is not one of 0..9"):
            call()


def test_labels_must_be_whole_numbers_one_per_example(net):
    x = np.zeros((3, 784))
    with pytest.raises(ValueError, match="whole numbers"):
        net.evaluate(x, [1.5, 2.0, 3.0])
    with pytest.raises(ValueError, match="whole numbers"):
        one_hot([True, False])
    with pytest.raises(ValueError, match="2 labels for 3 examples"):
        net.evaluate(x, [1, 2])
    with pytest.raises(ValueError, match="3 labels .* or 3 rows of 10 desired outputs"):
        net.cost(x, [1.0, 2.0, 3.0])


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_inputs_are_refused(net, bad):
    x = np.zeros(784)
    x[100] = bad
    for call in (net.predict, net.feedforward, net.forward,
                 lambda a: net.cost(a, 3), lambda a: net.backprop(a, 3),
                 lambda a: net.evaluate(a, [3])):
        with pytest.raises(ValueError, match="NaN or infinite"):
            call(x)
    with pytest.raises(ValueError, match="desired outputs hold NaN"):
        net.cost(np.zeros((1, 784)), np.full((1, 10), np.nan))


def test_inputs_of_the_wrong_kind_are_refused(net):
    with pytest.raises(ValueError, match="input has 783 values"):
        net.predict(np.zeros((2, 783)))
    with pytest.raises(ValueError, match="single number"):
        net.predict(3.0)
    with pytest.raises(ValueError, match="real numbers"):
        net.predict(np.array(["a"] * 784))


def test_an_empty_batch_works_and_its_cost_is_a_clear_error(net):
    empty = np.zeros((0, 784), np.float32)
    zs, activations = net.forward(empty)
    assert [a.shape for a in activations] == [(0, 784), (0, 8), (0, 10)]
    assert [z.shape for z in zs] == [(0, 8), (0, 10)]
    answers = net.predict(empty)
    assert answers.shape == (0,) and np.issubdtype(answers.dtype, np.integer)
    assert net.evaluate(empty, []) == 0
    assert net.evaluate(np.zeros((0, 28, 28)), np.zeros(0, np.uint8)) == 0
    assert one_hot([]).shape == (0, 10)
    for call in (lambda: net.cost(empty, []), lambda: net.backprop(empty, [])):
        with pytest.raises(ValueError, match="there are no examples"):
            call()


def test_sgd_refuses_bad_training_data_up_front(tiny_data):
    d = tiny_data
    x = d.train_x.copy()
    x[5, 5] = np.nan
    with pytest.raises(ValueError, match="training data holds NaN"):
        sgd(CONFIG, x, d.train_labels)
    with pytest.raises(ValueError, match="training labels: label -1"):
        sgd(CONFIG, d.train_x, np.full(600, -1))
    with pytest.raises(ValueError, match="no training examples"):
        sgd(CONFIG, np.zeros((0, 784)), np.zeros(0, int))
    with pytest.raises(ValueError, match="test labels: got 199 labels for 200 examples"):
        sgd(CONFIG, d.train_x, d.train_labels, d.test_x, d.test_labels[:-1])


# -- 12. export writes regular files only -----------------------------------------------------------

@pytest.fixture
def replace_regular_files_only(monkeypatch):
    """A safety net under the test: os.replace refuses to replace anything but a regular
    file, so code that would replace a device fails the test instead of doing it."""
    real = os.replace

    def careful(src, dst, **kwargs):
        if os.path.exists(dst) and not stat.S_ISREG(os.stat(dst).st_mode):
            raise AssertionError(f"about to replace the non-regular file {dst}")
        return real(src, dst, **kwargs)

    monkeypatch.setattr(os, "replace", careful)


@pytest.mark.skipif(not os.path.exists("/dev/null") or not stat.S_ISCHR(os.stat("/dev/null").st_mode),
                    reason="needs /dev/null as a character device")
def test_export_to_dev_null_is_refused_before_training(capsys, no_data, replace_regular_files_only):
    code, out, err = run(capsys, "export", "/dev/null", *FLAGS)
    assert_one_line_error(code, err, "/dev/null", "character device, not a regular file")
    assert ".part" not in err
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_atomic_write_never_replaces_a_fifo_or_a_folder(tmp_path, replace_regular_files_only):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(OSError, match=f"cannot write {fifo}: it is a fifo"):
        with atomic_write(fifo) as f:
            f.write(b"data")
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    (tmp_path / "dir").mkdir()
    with pytest.raises(OSError, match="it is a folder, not a regular file"):
        with atomic_write(tmp_path / "dir") as f:
            f.write(b"data")
    assert (tmp_path / "dir").is_dir()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dir", "pipe"]  # no .part left


def test_export_under_a_file_names_the_file_not_file_exists(capsys, no_data, tmp_path):
    parent = tmp_path / "notes.txt"
    parent.write_text("a file")
    target = parent / "model.npz"
    code, _, err = run(capsys, "export", str(target), *FLAGS)
    assert_one_line_error(code, err, f"cannot write {target}: {parent} is a file, not a folder")
    assert "File exists" not in err
    with pytest.raises(OSError, match=f"{parent} is a file, not a folder"):
        with atomic_write(target) as f:
            f.write(b"x")


# -- 13. one-line command-line errors, naming the flag or variable, before any data ----------------

@pytest.mark.parametrize("argv, needles", [
    (["train", "--epochs", "abc"], ["--epochs must be a whole number >= 1, got 'abc'"]),
    (["train", "--epochs", "0"], ["--epochs must be a whole number >= 1, got 0"]),
    (["train", "--batch-size", "0"], ["--batch-size must be a whole number >= 1, got 0"]),
    (["train", "--seed", "-1"], ["--seed must be a whole number >= 0, got -1"]),
    (["train", "--eta", "0"], ["--eta must be a finite positive number, got 0"]),
    (["train", "--eta", "inf"], ["--eta must be a finite positive number, got inf"]),
    (["train", "--l2", "-1"], ["--l2 must be a finite number >= 0, got -1"]),
    (["evaluate", "--layers", "abc"], ["--layers 'abc' is not a list of layer sizes",
                                       "784,16,16,10"]),
    (["evaluate", "--layers", "784,0,10"], ["--layers '784,0,10'", "at least one neuron"]),
    (["export", "out.npz", "--layers", "100,10"], ["--layers '100,10'", "784 neurons"]),
    (["train", "--activation", "tanh"], ["--activation", "see python -m network train --help"]),
    (["train", "--nonsense"], ["unrecognized arguments: --nonsense",
                               "see python -m network train --help"]),
    (["fly"], ["invalid choice", "see python -m network --help"]),
    ([], ["command", "see python -m network --help"]),
])
def test_command_line_errors_are_one_line_before_loading_data(capsys, no_data, argv, needles):
    code, out, err = run(capsys, *argv)
    assert_one_line_error(code, err, *needles)
    assert out == ""


@pytest.mark.parametrize("environ, message", [
    ({"NN_LAYERS": "abc"}, "NN_LAYERS='abc' is not a list of layer sizes: use comma-separated "
                           "whole numbers like 784,16,16,10"),
    ({"NN_LAYERS": "784,-3,10"}, "NN_LAYERS='784,-3,10': every layer needs at least one "
                                 "neuron, got [784, -3, 10]"),
    ({"NN_PRESET": "nope"}, "NN_PRESET='nope': choose one of relu, tweaked, video"),
    ({"NN_ACTIVATION": "tanh"}, "NN_ACTIVATION='tanh': choose one of sigmoid, relu"),
    ({"NN_COST": "hinge"}, "NN_COST='hinge': choose one of quadratic, cross-entropy"),
])
def test_nn_variables_errors_name_the_variable_value_and_choices(environ, message):
    with pytest.raises(ValueError) as info:
        config_from_env(environ)
    assert str(info.value) == message


def test_nn_variable_errors_reach_the_cli_as_one_line(capsys, no_data, monkeypatch):
    monkeypatch.setenv("NN_ACTIVATION", "tanh")
    code, _, err = run(capsys, "train")
    assert_one_line_error(code, err, "NN_ACTIVATION='tanh': choose one of sigmoid, relu")


# -- 14. stale temporary files are cleaned up, fresh ones left alone ---------------------------------

def age(path, seconds):
    then = time.time() - seconds
    os.utime(path, (then, then))
    return path


def test_stale_model_part_files_are_removed_when_the_store_is_opened(tiny_data, tmp_path):
    stale = tmp_path / ".model-0123456789abcdef0123.npz.k3j4h5.part"
    stale.write_bytes(b"half a model")
    age(stale, 2 * 3600)
    fresh = tmp_path / ".model-0123456789abcdef0123.npz.zz9.part"
    fresh.write_bytes(b"another process is writing this")  # may be another process's
    other = tmp_path / "notes.part"
    other.write_bytes(b"not ours")
    age(other, 2 * 3600)
    load_trained(CONFIG, tiny_data, directory=tmp_path, progress=False, log=lambda _: None)
    assert not stale.exists()
    assert fresh.exists() and other.exists()


def test_stale_mnist_part_files_are_removed_when_the_cache_is_opened(tmp_path, monkeypatch):
    from network.mnist import load_mnist

    monkeypatch.setenv("NN_EXPLAINED_CACHE", str(tmp_path / "cache"))
    cache = tmp_path / "cache" / "mnist"
    cache.mkdir(parents=True)
    stale = cache / ".train-images-idx3-ubyte.gz.abc123.part"
    stale.write_bytes(b"\x1f\x8b half a download")
    age(stale, 3 * 3600)
    marker_part = tmp_path / "cache" / ".mnist.download-failed.x1.part"
    marker_part.write_text("half a marker")
    age(marker_part, 3 * 3600)
    fresh = cache / ".t10k-labels-idx1-ubyte.gz.def456.part"
    fresh.write_bytes(b"being written right now")
    assert load_mnist(download=False, progress=False, log=lambda _: None).source == "sample"
    assert not stale.exists() and not marker_part.exists()
    assert fresh.exists()
