// Small statistics helpers for the benchmark: percentiles by nearest rank, ratios rounded for print.

export function percentile(values: number[], p: number): number {
    if (values.length === 0) {
        return NaN;
    }
    const sorted = [...values].sort((a, b) => a - b);
    const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
    return sorted[rank];
}

export const median = (values: number[]): number => percentile(values, 50);

export type Summary = {n: number; p50: number; p95: number; p99: number; mean: number};

export function summary(values: number[]): Summary {
    const mean = values.reduce((s, v) => s + v, 0) / (values.length || 1);
    return {n: values.length, p50: round(median(values)), p95: round(percentile(values, 95)), p99: round(percentile(values, 99)), mean: round(mean)};
}

export function round(v: number, digits = 2): number {
    const f = 10 ** digits;
    return Math.round(v * f) / f;
}

export function ratio(a: number, b: number): number {
    return b > 0 ? round(a / b, 3) : NaN;
}
