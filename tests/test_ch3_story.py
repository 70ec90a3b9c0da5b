"""Chapter 3's shared story: the partly trained network and its example."""

import numpy as np
import pytest

from network.train import VIDEO, partly_trained
from scenes.ch3.story import story_example


def test_partly_trained_is_one_pass_over_part_of_the_data(partial_model):
    config = partly_trained(VIDEO)
    assert (config.epochs, config.train_subset, config.schedule) == (1, 6000, "constant")
    assert config.sizes == VIDEO.sizes and partial_model.config == config
    # It has learned something and still gets plenty wrong.
    assert 0.5 < partial_model.test_accuracy < 0.9


def test_story_example_is_the_first_two_the_network_gets_wrong(mnist, partial_model):
    net = partial_model.network
    i = story_example(net, mnist.train_x, mnist.train_labels)
    assert mnist.train_labels[i] == 2 and net.predict(mnist.train_x[i]) != 2
    earlier = np.flatnonzero(mnist.train_labels[:i] == 2)
    assert np.all(net.predict(mnist.train_x[earlier]) == 2)


def test_story_example_falls_back_and_complains(mnist, partial_model):
    net = partial_model.network
    twos = np.flatnonzero(mnist.train_labels == 2)[:3]
    right = [k for k in twos if net.predict(mnist.train_x[k]) == 2]
    assert right  # a set where every 2 is read right: the first 2
    assert story_example(net, mnist.train_x[right], mnist.train_labels[right]) == 0
    with pytest.raises(ValueError, match="no 2 among the 5"):
        story_example(net, mnist.train_x[:5], np.array([0, 1, 3, 4, 5]))
