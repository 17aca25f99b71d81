"""Architectures and the shipped tables, checked against the CSV files read directly."""

import math

import numpy as np
import pytest

import maplex
from conftest import device_column


def test_index_and_string_round_trip_as_in_the_table(arch_rows):
    assert maplex.space_size() == 15625
    for row in arch_rows[::977] + [arch_rows[-1]]:
        index = int(row["index"])
        assert maplex.arch_str(index) == row["arch_str"]
        assert maplex.arch_index(row["arch_str"]) == index
        assert maplex.is_connected(index) == (row["connected"] == "1")


def test_latencies_are_the_shipped_column_without_a_copy():
    expected = device_column("titan_rtx_1")
    got = maplex.latencies("titan_rtx_1")
    assert got.shape == (15625,) and got.dtype == np.float64
    for i in range(0, 15625, 331):
        if expected[i] is None:
            assert math.isnan(got[i])
        else:
            assert got[i] == pytest.approx(expected[i], rel=1e-12)
    assert not got.flags.writeable
    assert np.shares_memory(got, maplex.latencies("titan_rtx_1"))  # both view the loaded table


def test_accuracies_select_split_and_fidelity(arch_rows, valid_rows):
    valid = maplex.accuracies("cifar10", "valid", 200)
    test = maplex.accuracies("cifar100", "test", 200)
    valid12 = maplex.accuracies("imagenet16_120", "valid", 12)
    for i in range(0, 15625, 1111):
        assert valid[i] == pytest.approx(float(valid_rows[i]["valid_acc_cifar10"]))
        assert test[i] == pytest.approx(float(arch_rows[i]["test_acc_cifar100"]))
        assert valid12[i] == pytest.approx(float(valid_rows[i]["valid12_acc_imagenet16_120"]))


def test_flops_and_devices(arch_rows):
    flops = maplex.flops_m()
    assert flops[0] == pytest.approx(float(arch_rows[0]["flops_M_cifar10"]), rel=1e-4)
    names = maplex.devices()
    assert len(names) == 40 and "titan_rtx_1" in names and "pixel3" in names


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: maplex.arch_str(15625), "arch index 15625 is out of range, expected 0..15624"),
        (lambda: maplex.arch_str(-1), "arch index -1 is out of range, expected 0..15624"),
        (lambda: maplex.arch_index("|conv~0|"), "arch string '|conv~0|'"),
        (lambda: maplex.latencies("titan_rtx"), "unknown device 'titan_rtx'"),
        (lambda: maplex.accuracies("cifar11"), "cifar11"),
        (lambda: maplex.accuracies("cifar10", "train"), "'train'"),
        (lambda: maplex.accuracies("cifar10", "valid", 50), "50"),
        (lambda: maplex.set_data_dir("/nonexistent"), "holds no nb201_archs.csv"),
    ],
)
def test_bad_input_is_a_value_error_with_one_line(call, message):
    with pytest.raises(ValueError) as e:
        call()
    assert message in str(e.value)
    assert "\n" not in str(e.value)
