"""Training: deterministic, it learns, and on the full set it reaches the video's accuracy."""

import numpy as np
import pytest

from network.model import Network
from network.train import VIDEO, TrainConfig, learning_rate, sgd
from tests.conftest import mnist_dir

SMALL = TrainConfig(sizes=(784, 12, 10), epochs=4, batch_size=10, eta=3.0)


def test_training_is_deterministic(tiny_data):
    d = tiny_data
    a, ha = sgd(SMALL, d.train_x, d.train_labels, d.test_x, d.test_labels)
    b, hb = sgd(SMALL, d.train_x, d.train_labels, d.test_x, d.test_labels)
    assert np.array_equal(a.flat_parameters(), b.flat_parameters())
    assert np.array_equal(ha.step_cost, hb.step_cost)
    c, _ = sgd(SMALL.replace(seed=1), d.train_x, d.train_labels)
    assert not np.array_equal(a.flat_parameters(), c.flat_parameters())


def test_training_learns_and_records_history(tiny_data):
    d = tiny_data
    net, history = sgd(SMALL, d.train_x, d.train_labels, d.test_x, d.test_labels)
    steps = SMALL.epochs * 60
    assert history.step_cost.shape == (steps,)
    assert history.epoch_accuracy.shape == (SMALL.epochs,)
    assert history.epoch_cost[-1] < history.epoch_cost[0] / 2
    assert history.epoch_accuracy[-1] == net.evaluate(d.test_x, d.test_labels) / 200 > 0.9
    # The first step's recorded cost is the untrained network's cost on the first minibatch.
    first_batch = np.random.default_rng(SMALL.seed).permutation(600)[:SMALL.batch_size]
    untrained = Network(SMALL.sizes, seed=SMALL.seed)
    expected = untrained.cost(d.train_x[first_batch], d.train_labels[first_batch])
    assert history.step_cost[0] == pytest.approx(expected, rel=1e-4)


def test_one_step_is_gradient_descent(tiny_data):
    from network.train import sgd_step

    d = tiny_data
    net = Network((784, 8, 10), seed=2)
    before = net.flat_parameters()
    grad = net.backprop(d.train_x[:10], d.train_labels[:10]).flat()
    sgd_step(net, d.train_x[:10].astype(float), np.eye(10)[d.train_labels[:10]], eta=0.5, l2=0.0, n=600)
    assert np.allclose(net.flat_parameters(), before - 0.5 * grad)


def test_learning_rate_schedule():
    assert learning_rate(VIDEO, 0) == VIDEO.eta
    assert learning_rate(VIDEO, VIDEO.epochs // 2) == pytest.approx(VIDEO.eta / 2)
    assert learning_rate(VIDEO.replace(schedule="constant"), 7) == VIDEO.eta


def test_bad_configurations_and_data_are_refused(tiny_data):
    with pytest.raises(ValueError, match="schedule"):
        TrainConfig(schedule="step")
    with pytest.raises(ValueError, match="at least one neuron"):
        TrainConfig(sizes=(784, 0, 10))
    with pytest.raises(ValueError, match="784"):
        sgd(SMALL, np.zeros((5, 100)), np.zeros(5, int))
    with pytest.raises(ValueError, match="labels"):
        sgd(SMALL, np.zeros((5, 784)), np.full(5, 12))


@pytest.mark.skipif(mnist_dir() is None, reason="needs the full MNIST set (MNIST_DIR)")
def test_the_video_network_trained_on_the_full_set_reaches_96_percent():
    """The README's promise: the video's network reaches the video's 96 % on the official test set."""
    from network.mnist import load_mnist
    from network.store import load_trained

    data = load_mnist(mnist_dir(), progress=False, log=lambda *_: None)
    assert data.train_size == 60000 and data.test_size == 10000
    model = load_trained(VIDEO, data, progress=False, log=lambda *_: None)
    correct = model.network.evaluate(data.test_x, data.test_labels)
    assert correct == model.test_correct
    assert correct / 10000 >= 0.96


def test_training_set_subset_and_shuffled_labels(tiny_data):
    d = tiny_data
    x, labels = SMALL.replace(train_subset=100).training_set(d.train_x, d.train_labels)
    assert np.array_equal(x, d.train_x[:100]) and np.array_equal(labels, d.train_labels[:100])
    x, shuffled = SMALL.replace(train_subset=100, shuffle_labels=True).training_set(d.train_x, d.train_labels)
    assert np.array_equal(x, d.train_x[:100])
    assert np.array_equal(np.sort(shuffled), np.sort(d.train_labels[:100]))  # same labels...
    assert np.mean(shuffled == d.train_labels[:100]) < 0.3                   # ...on other images
    again = SMALL.replace(train_subset=100, shuffle_labels=True).training_set(d.train_x, d.train_labels)[1]
    assert np.array_equal(shuffled, again)
    with pytest.raises(ValueError, match="only 600 training images"):
        SMALL.replace(train_subset=1000).training_set(d.train_x, d.train_labels)
    with pytest.raises(ValueError, match="train_subset"):
        SMALL.replace(train_subset=-1)


def test_shuffled_labels_are_learned_slower_than_true_ones(tiny_data):
    from network.store import train

    true = train(SMALL.replace(train_subset=300), tiny_data)
    noise = train(SMALL.replace(train_subset=300, shuffle_labels=True), tiny_data)
    assert true.train_size == noise.train_size == 300
    assert noise.history.epoch_cost[-1] > true.history.epoch_cost[-1]
    assert noise.test_correct < true.test_correct  # tested on the true labels
