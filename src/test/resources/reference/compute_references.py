"""Compute independent reference values for the io.probity.calibration and io.probity.drift tests.

Run with the Debian packages python3-numpy (1.24), python3-sklearn (1.2.1) and python3-scipy (1.10):

    /usr/bin/python3 src/test/resources/reference/compute_references.py

It reads the digits data sets, takes softmax of the logits in float64 with the maximum subtracted,
and writes reference-values.json beside this script. Every value comes from a scikit-learn or SciPy
function where one exists, and from a few lines of NumPy otherwise (PSI, Wilson intervals,
classwise and weighted ECE, the label-free accuracy estimate).
"""
import json
import os

import numpy as np
import scipy
import sklearn
from scipy import optimize, special, stats
from scipy.spatial.distance import jensenshannon
from sklearn.calibration import calibration_curve
from sklearn.metrics import brier_score_loss, log_loss

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "..", "..", "main", "resources", "demo", "digits")
CLASSES = 10
PSI_EPSILON = 1e-4
NLL_EPSILON = 1e-15


def load(name):
    with open(os.path.join(DATA, name)) as f:
        rows = [json.loads(line) for line in f if line.strip()]
    logits = np.array([r["logits"] for r in rows], dtype=np.float64)
    labels = np.array([int(r["label"]) for r in rows])
    return logits, labels


def softmax(logits, temperature=1.0):
    z = (logits - logits.max(axis=1, keepdims=True)) / temperature
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def binned_ece(y_true, y_prob, n_bins, strategy):
    """ECE and per-bin values from calibration_curve, with its own bin assignment for the counts."""
    prob_true, prob_pred = calibration_curve(y_true, y_prob, n_bins=n_bins, strategy=strategy)
    if strategy == "quantile":
        edges = np.percentile(y_prob, np.linspace(0, 1, n_bins + 1) * 100)
    else:
        edges = np.linspace(0.0, 1.0, n_bins + 1)
    counts = np.bincount(np.searchsorted(edges[1:-1], y_prob), minlength=n_bins)
    counts = counts[counts > 0]
    gaps = np.abs(prob_true - prob_pred)
    return {
        "ece": float(np.sum(counts / len(y_prob) * gaps)),
        "mce": float(gaps.max()),
        "counts": counts.tolist(),
        "accuracy": prob_true.tolist(),
        "meanConfidence": prob_pred.tolist(),
    }


def weighted_ece(correct, confidence, weights, n_bins):
    edges = np.arange(n_bins + 1) / n_bins
    bins = np.clip(np.searchsorted(edges[1:-1], confidence), 0, n_bins - 1)
    w = np.bincount(bins, weights=weights, minlength=n_bins)
    c = np.bincount(bins, weights=weights * correct, minlength=n_bins)
    s = np.bincount(bins, weights=weights * confidence, minlength=n_bins)
    nonempty = w > 0
    return float(np.sum(w[nonempty] / w.sum() * np.abs(c[nonempty] / w[nonempty] - s[nonempty] / w[nonempty])))


def wilson(p, n, z=stats.norm.ppf(0.975)):
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return [float(max(0.0, centre - half)), float(min(1.0, centre + half))]


def classwise_ece(p, labels, n_bins):
    total = 0.0
    for k in range(CLASSES):
        result = binned_ece((labels == k).astype(float), p[:, k], n_bins, "uniform")
        total += result["ece"]
    return total / CLASSES


def normalised_entropy(p):
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, -p * np.log(p), 0.0)
    return np.clip(terms.sum(axis=1) / np.log(p.shape[1]), 0.0, 1.0)


def margin(p):
    top = np.sort(p, axis=1)
    return top[:, -1] - top[:, -2]


def histogram(values, n_bins=10):
    return np.histogram(values, bins=n_bins, range=(0.0, 1.0))[0].tolist()


def psi(baseline_counts, current_counts):
    b = np.asarray(baseline_counts, dtype=float)
    c = np.asarray(current_counts, dtype=float)
    b = np.where(b == 0, PSI_EPSILON, b / b.sum())
    c = np.where(c == 0, PSI_EPSILON, c / c.sum())
    return float(np.sum((c - b) * np.log(c / b)))


def nll_of_log_temperature(log_t, logits, labels):
    z = logits / np.exp(log_t)
    return float(np.mean(special.logsumexp(z, axis=1) - z[np.arange(len(labels)), labels]))


def nll_gradient_in_beta(beta, logits, labels):
    p = softmax(logits * beta)
    return float(np.mean((p * logits).sum(axis=1) - logits[np.arange(len(labels)), labels]))


def calibration_values(logits, labels):
    p = softmax(logits)
    confidence = p.max(axis=1)
    predicted = p.argmax(axis=1)
    correct = (predicted == labels).astype(float)
    n = len(labels)
    weights = 1.0 + (np.arange(n) % 4)

    uniform15 = binned_ece(correct, confidence, 15, "uniform")
    reliability_edges = np.arange(16) / 15
    bin_of = np.searchsorted(reliability_edges[1:-1], confidence)
    wilson15 = []
    for b in range(15):
        mask = bin_of == b
        if mask.any():
            wilson15.append(wilson(correct[mask].mean(), mask.sum()))
        else:
            wilson15.append(None)

    one_hot = np.eye(CLASSES)[labels]
    return {
        "accuracy": float(correct.mean()),
        "meanConfidence": float(confidence.mean()),
        "brierSumOfOneVsRest": float(sum(brier_score_loss(one_hot[:, k], p[:, k]) for k in range(CLASSES))),
        "logLoss": float(log_loss(labels, p, eps=NLL_EPSILON, labels=list(range(CLASSES)))),
        "uniform15": uniform15,
        "uniform10": binned_ece(correct, confidence, 10, "uniform"),
        "quantile10": binned_ece(correct, confidence, 10, "quantile"),
        "quantile15": binned_ece(correct, confidence, 15, "quantile"),
        "wilson15": wilson15,
        "classwiseEce15": classwise_ece(p, labels, 15),
        "weighted": {
            "weights": "1 + (i mod 4)",
            "accuracy": float(np.average(correct, weights=weights)),
            "meanConfidence": float(np.average(confidence, weights=weights)),
            "ece15": weighted_ece(correct, confidence, weights, 15),
            "brierSumOfOneVsRest": float(sum(brier_score_loss(one_hot[:, k], p[:, k], sample_weight=weights)
                                             for k in range(CLASSES))),
            "logLoss": float(log_loss(labels, p, eps=NLL_EPSILON, labels=list(range(CLASSES)),
                                      sample_weight=weights)),
        },
        "histograms10": {
            "confidence": histogram(confidence),
            "margin": histogram(margin(p)),
            "normalisedEntropy": histogram(normalised_entropy(p)),
        },
        "perPredictedClassConfidence10": [histogram(confidence[predicted == k]) for k in range(CLASSES)],
        "predictedClassCounts": np.bincount(predicted, minlength=CLASSES).tolist(),
    }


def drift_values(baseline_logits, current_logits):
    pb, pc = softmax(baseline_logits), softmax(current_logits)
    cb, cc = pb.max(axis=1), pc.max(axis=1)
    hb = np.histogram(cb, bins=10, range=(0.0, 1.0))[0]
    hc = np.histogram(cc, bins=10, range=(0.0, 1.0))[0]
    ks = stats.ks_2samp(cb, cc)
    ks_asymp = stats.ks_2samp(cb, cc, method="asymp")
    en = len(cb) * len(cc) / (len(cb) + len(cc))
    class_b = np.bincount(pb.argmax(axis=1), minlength=CLASSES)
    class_c = np.bincount(pc.argmax(axis=1), minlength=CLASSES)
    chi = stats.chisquare(class_c, f_exp=class_b / class_b.sum() * class_c.sum())
    return {
        "confidencePsi10": psi(hb, hc),
        "confidenceJensenShannon10": float(jensenshannon(hb, hc, base=2)),
        "ksStatistic": float(ks.statistic),
        "ksPValueKstwobign": float(stats.kstwobign.sf(np.sqrt(en) * ks.statistic)),
        "ksPValueScipyExact": float(ks.pvalue),
        "ksPValueScipyAsymp": float(ks_asymp.pvalue),
        "classChiSquare": float(chi.statistic),
        "classChiSquarePValue": float(chi.pvalue),
        "classPsi": psi(class_b, class_c),
    }


def estimated_accuracy(baseline_logits, baseline_labels, current_logits, n_bins=15):
    pb, pc = softmax(baseline_logits), softmax(current_logits)
    edges = np.arange(n_bins + 1) / n_bins
    bins_b = np.searchsorted(edges[1:-1], pb.max(axis=1))
    correct = (pb.argmax(axis=1) == baseline_labels).astype(float)
    counts = np.bincount(bins_b, minlength=n_bins)
    hits = np.bincount(bins_b, weights=correct, minlength=n_bins)
    confidence = pc.max(axis=1)
    bins_c = np.searchsorted(edges[1:-1], confidence)
    mapped = np.where(counts[bins_c] > 0, hits[bins_c] / np.maximum(counts[bins_c], 1), confidence)
    return float(mapped.mean())


def temperature_values(logits, labels):
    result = optimize.minimize_scalar(nll_of_log_temperature, args=(logits, labels), method="bounded",
                                      bounds=(np.log(0.01), np.log(100.0)), options={"xatol": 1e-10})
    beta = optimize.brentq(nll_gradient_in_beta, 0.01, 100.0, args=(logits, labels), xtol=1e-15, rtol=1e-15)
    temperature = 1.0 / beta
    p = softmax(logits, temperature)
    correct = (p.argmax(axis=1) == labels).astype(float)
    return {
        "temperatureMinimizeScalar": float(np.exp(result.x)),
        "temperatureGradientRoot": float(temperature),
        "nllAfter": float(log_loss(labels, p, eps=NLL_EPSILON, labels=list(range(CLASSES)))),
        "ece15After": binned_ece(correct, p.max(axis=1), 15, "uniform")["ece"],
    }


def main():
    reference_logits, reference_labels = load("reference.ndjson")
    shifted_logits, shifted_labels = load("shifted.ndjson")
    first, rest = reference_logits[:450], reference_logits[450:]
    output = {
        "versions": {"numpy": np.__version__, "scipy": scipy.__version__, "sklearn": sklearn.__version__},
        "calibration": {
            "reference": calibration_values(reference_logits, reference_labels),
            "shifted": calibration_values(shifted_logits, shifted_labels),
        },
        "drift": {
            "referenceToShifted": drift_values(reference_logits, shifted_logits),
            "referenceHalves": drift_values(first, rest),
        },
        "estimatedAccuracy15": {
            "shiftedFromReference": estimated_accuracy(reference_logits, reference_labels, shifted_logits),
            "referenceRestFromFirst": estimated_accuracy(first, reference_labels[:450], rest),
        },
        "temperature": {
            "reference": temperature_values(reference_logits, reference_labels),
            "shifted": temperature_values(shifted_logits, shifted_labels),
        },
    }
    with open(os.path.join(HERE, "reference-values.json"), "w") as f:
        json.dump(output, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
