"""The trained-model store: trains once, reuses, invalidates, survives corruption."""

import json
import subprocess
import sys

import numpy as np
import pytest

from network import store
from network.store import StoreError, load_trained, model_path
from network.train import TrainConfig
from tests.conftest import ROOT

CONFIG = TrainConfig(sizes=(784, 10, 10), epochs=2, batch_size=20)


def quiet(*_):
    pass


def test_trains_once_then_loads_the_same_network(tiny_data, tmp_path, monkeypatch):
    first = load_trained(CONFIG, tiny_data, directory=tmp_path, progress=False, log=quiet)
    assert first.path.exists() and first.path.suffix == ".npz"
    monkeypatch.setattr(store, "train", lambda *a, **k: pytest.fail("retrained a cached model"))
    second = load_trained(CONFIG, tiny_data, directory=tmp_path, progress=False, log=quiet)
    assert np.array_equal(first.network.flat_parameters(), second.network.flat_parameters())
    assert np.array_equal(first.history.step_cost, second.history.step_cost)
    assert second.test_correct == second.network.evaluate(tiny_data.test_x, tiny_data.test_labels)
    assert second.data_description == tiny_data.description
    assert [p.name for p in tmp_path.iterdir()] == [first.path.name]  # no temporary files left


def test_any_change_to_config_or_data_is_a_new_model():
    key = store.model_key(CONFIG, "data-a")
    assert store.model_key(CONFIG.replace(seed=1), "data-a") != key
    assert store.model_key(CONFIG.replace(eta=2.0), "data-a") != key
    assert store.model_key(CONFIG.replace(sizes=(784, 11, 10)), "data-a") != key
    assert store.model_key(CONFIG, "data-b") != key
    assert store.model_key(TrainConfig(sizes=(784, 10, 10), epochs=2, batch_size=20), "data-a") == key


@pytest.mark.parametrize("damage", ["garbage", "truncate", "wrong-shape", "nan", "other-config"])
def test_a_damaged_model_file_is_reported_and_retrained(tiny_data, tmp_path, damage):
    good = load_trained(CONFIG, tiny_data, directory=tmp_path, progress=False, log=quiet)
    path = good.path
    if damage == "garbage":
        path.write_bytes(b"not a zip file at all")
    elif damage == "truncate":
        path.write_bytes(path.read_bytes()[:1000])
    else:
        with np.load(path, allow_pickle=False) as f:
            arrays = dict(f.items())
        if damage == "wrong-shape":
            arrays["weights_0"] = arrays["weights_0"][:, :5]
        elif damage == "nan":
            arrays["biases_1"][0] = np.nan
        else:
            meta = json.loads(str(arrays["meta"]))
            meta["config"]["seed"] = 99
            arrays["meta"] = np.array(json.dumps(meta))
        np.savez(path, **arrays)
    with pytest.raises(StoreError):
        store.load(path, CONFIG, tiny_data.identity)
    messages = []
    again = load_trained(CONFIG, tiny_data, directory=tmp_path, progress=False, log=messages.append)
    assert any("retraining" in m for m in messages), messages
    assert np.array_equal(again.network.flat_parameters(), good.network.flat_parameters())
    store.load(path, CONFIG, tiny_data.identity)  # the replacement is sound


def test_pickled_content_is_never_loaded(tiny_data, tmp_path):
    good = load_trained(CONFIG, tiny_data, directory=tmp_path, progress=False, log=quiet)
    with np.load(good.path, allow_pickle=False) as f:
        arrays = dict(f.items())
    arrays["meta"] = np.array([{"evil": 1}], dtype=object)
    np.savez(good.path, **arrays)
    with pytest.raises(StoreError):
        store.load(good.path, CONFIG, tiny_data.identity)


def test_model_path_is_in_the_user_cache(monkeypatch, tmp_path):
    monkeypatch.setenv("NN_EXPLAINED_CACHE", str(tmp_path))
    assert model_path(CONFIG, "x").parent == tmp_path / "models"


def test_config_from_environment(monkeypatch):
    from network.store import config_from_env
    from network.train import TWEAKED, VIDEO

    assert config_from_env({}) == VIDEO
    assert config_from_env({"NN_LAYERS": "784,32,10"}).sizes == (784, 32, 10)
    assert config_from_env({"NN_PRESET": "tweaked"}) == TWEAKED
    with pytest.raises(ValueError, match="784 neurons"):
        config_from_env({"NN_LAYERS": "100,10"})
    with pytest.raises(ValueError, match="comma-separated"):
        config_from_env({"NN_LAYERS": "784;10"})
    with pytest.raises(ValueError, match="NN_PRESET"):
        config_from_env({"NN_PRESET": "huge"})


def run_cli(*args, env_extra=None):
    import os
    env = dict(os.environ, **(env_extra or {}))
    return subprocess.run([sys.executable, "-m", "network", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)


def write_fake_mnist(folder, data):
    from network.idx import write_idx

    folder.mkdir()
    pairs = {"train-images-idx3-ubyte.gz": (data.train_x * 255).astype(np.uint8).reshape(-1, 28, 28),
             "train-labels-idx1-ubyte.gz": data.train_labels,
             "t10k-images-idx3-ubyte.gz": (data.test_x * 255).astype(np.uint8).reshape(-1, 28, 28),
             "t10k-labels-idx1-ubyte.gz": data.test_labels}
    for name, array in pairs.items():
        write_idx(folder / name, np.asarray(array, np.uint8))


def test_cli_evaluate_json_and_export_contracts(tiny_data, tmp_path):
    folder = tmp_path / "mnist"
    write_fake_mnist(folder, tiny_data)
    flags = ["--layers", "784,10,10", "--epochs", "2", "--mnist-dir", str(folder), "--quiet"]
    result = run_cli("evaluate", "--json", *flags)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    for key in ["sizes", "activation", "cost", "data", "train_size", "test_size", "correct", "accuracy"]:
        assert key in report
    assert report["sizes"] == [784, 10, 10] and report["train_size"] == 600 and report["test_size"] == 200
    assert report["accuracy"] == report["correct"] / 200

    out = tmp_path / "exported.npz"
    result = run_cli("export", str(out), *flags)
    assert result.returncode == 0, result.stderr
    with np.load(out, allow_pickle=False) as f:
        assert list(f["sizes"]) == [784, 10, 10]
        assert f["weights_0"].shape == (10, 784) and f["weights_1"].shape == (10, 10)
        assert f["biases_0"].shape == (10,) and f["biases_1"].shape == (10,)
        from network.model import Network
        net = Network((784, 10, 10))
        net.weights = [f["weights_0"], f["weights_1"]]
        net.biases = [f["biases_0"], f["biases_1"]]
    from network.mnist import load_mnist
    data = load_mnist(folder, progress=False, log=quiet)
    assert net.evaluate(data.test_x, data.test_labels) == report["correct"]


def test_cli_errors_are_one_clear_line(tmp_path):
    result = run_cli("info", "--layers", "784,0,10")
    assert result.returncode == 2
    assert result.stderr.strip().startswith("error:") and "at least one neuron" in result.stderr
    assert "Traceback" not in result.stderr
    result = run_cli("train", "--mnist-dir", str(tmp_path / "nowhere"), "--quiet")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "nowhere" in result.stderr


def test_cli_info_counts_parameters():
    result = run_cli("info")
    assert result.returncode == 0, result.stderr
    assert "13,002" in result.stdout
    result = run_cli("info", "--layers", "784,32,10")
    assert f"{784 * 32 + 32 * 10 + 32 + 10:,}" in result.stdout
