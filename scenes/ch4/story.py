"""Chapter 4's two real networks, as every scene of the chapter loads them.

- **The chain** (``network.chain``): a 1-1-1-1 sigmoid network, one neuron a layer, trained
  here on ``network.chain.TASK`` (is this pixel ink?) from real MNIST pixels. Its example is a
  real ink pixel the chain answers about a quarter wrong, so every factor of the chain rule is
  readable. Trained in well under a second, once a process per data set.
- **The video's network**: chapter 3's partly trained 784-16-16-10 network and its story
  example (``scenes/ch3/story.py``), where the derivatives are large enough to see.

Every number comes from ``network.calculus`` on these networks.
"""

from __future__ import annotations

from network.chain import chain_example, chain_values, example_index, train_chain

from scenes.ch3.story import Chapter3Scene

_CHAINS: dict = {}


def trained_chain(data):
    """The chain trained on ``data``'s training pixels (held out: its test pixels); the same
    ``Chain`` object for the same data within a process."""
    key = getattr(data, "identity", id(data))
    if key not in _CHAINS:
        _CHAINS[key] = train_chain(data.train_x, data.test_x)
    return _CHAINS[key]


class Chapter4Scene(Chapter3Scene):
    """A scene of chapter 4.

    ``load_chain()`` sets ``data`` (``load_data()``), ``chain`` (the trained
    ``network.chain.Chain``), ``chain_net`` (its ``Network``), ``x`` and ``y`` (the example: a
    real ink pixel's brightness and its desired output 1), ``source`` ((image, pixel) it came
    from in the training images) and ``values`` (``network.chain.ChainValues``: every a, z, w,
    b and C₀ of the chain on it).

    ``load_story()`` (from ``Chapter3Scene``) loads the video's network, chapter 3's partly
    trained one, and its story example.
    """

    def load_chain(self) -> None:
        self.data = self.load_data()
        self.chain = trained_chain(self.data)
        self.chain_net = self.chain.network
        self.x, self.y = chain_example(self.chain)
        self.source = tuple(int(v) for v in self.chain.sources[example_index(self.chain)])
        self.values = chain_values(self.chain_net, self.x, self.y)
