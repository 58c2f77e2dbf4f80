namespace Cema.Models.Evaluation.Tuning;

/// <summary>One evaluated candidate.</summary>
/// <param name="Index">1-based, in evaluation order.</param>
/// <param name="Values">Every searched key's value.</param>
/// <param name="Changed">The key this trial moved away from the incumbent (null for the starting point).</param>
/// <param name="Metrics">What it measured.</param>
/// <param name="Score">The objective's score.</param>
/// <param name="Elapsed">Wall time of the evaluation.</param>
public sealed record Trial(int Index, IReadOnlyDictionary<string, double> Values, string? Changed, TrialMetrics Metrics, double Score, TimeSpan Elapsed);

/// <summary>The outcome of a search: every trial in order and the best one.</summary>
public sealed record SearchResult(IReadOnlyList<Trial> Trials, Trial Best, int Sweeps, bool BudgetExhausted);

/// <summary>
/// Coordinate descent over a grid: start at the grid point nearest the configured values, then for each
/// parameter in turn (the order given, most influential first) try every value of its grid with the others
/// held at the incumbent, and keep the best; repeat the sweep until one changes nothing, the sweeps run out,
/// or the evaluation budget does. Each distinct candidate is evaluated once (the evaluation is
/// deterministic: fixed seeds). Small and budgeted on purpose: every evaluation is a full simulation.
/// </summary>
public static class CoordinateDescent
{
    /// <param name="parameters">The grid, in search order.</param>
    /// <param name="start">Configured values of every key (the start is the nearest grid point of each).</param>
    /// <param name="evaluate">Runs one candidate.</param>
    /// <param name="objective">Ranks candidates.</param>
    /// <param name="budget">Most evaluations (≥ 1; the starting point is one).</param>
    /// <param name="maxSweeps">Most passes over the parameters.</param>
    /// <param name="onTrial">Called after each evaluation with the trial and the best so far.</param>
    public static SearchResult Run(
        IReadOnlyList<TuningParameter> parameters,
        IReadOnlyDictionary<string, double> start,
        Func<IReadOnlyDictionary<string, double>, TrialMetrics> evaluate,
        TuningObjective objective,
        int budget,
        int maxSweeps,
        Action<Trial, Trial>? onTrial = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(evaluate);
        (objective ?? throw new ArgumentNullException(nameof(objective))).Validate();
        if (parameters.Count == 0) throw new ArgumentException("nothing to search", nameof(parameters));
        foreach (var p in parameters) p.Validate();
        if (parameters.Select(p => p.Key).Distinct().Count() != parameters.Count) throw new ArgumentException("a key is searched twice", nameof(parameters));
        if (budget < 1) throw new ArgumentOutOfRangeException(nameof(budget), budget, "the budget must allow at least the starting point");
        if (maxSweeps < 1) throw new ArgumentOutOfRangeException(nameof(maxSweeps), maxSweeps, "at least one sweep");

        var trials = new List<Trial>();
        var seen = new Dictionary<string, Trial>(StringComparer.Ordinal);
        Trial? best = null;

        Trial? Evaluate(Dictionary<string, double> values, string? changed)
        {
            string id = Id(parameters, values);
            if (seen.TryGetValue(id, out var known)) return known;
            if (trials.Count >= budget) return null;
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var metrics = evaluate(values);
            var trial = new Trial(trials.Count + 1, new Dictionary<string, double>(values), changed, metrics, objective.Score(metrics.Accuracy, metrics.UploadRate), clock.Elapsed);
            trials.Add(trial);
            seen[id] = trial;
            if (best is null || objective.Better(trial.Metrics, best.Metrics)) best = trial;
            onTrial?.Invoke(trial, best);
            return trial;
        }

        var incumbent = parameters.ToDictionary(p => p.Key, p => p.Nearest(start.TryGetValue(p.Key, out var v) ? v
            : throw new ArgumentException($"no starting value for '{p.Key}'", nameof(start))));
        var current = Evaluate(incumbent, null)!;
        int sweeps = 0;
        bool exhausted = false;
        while (sweeps < maxSweeps && !exhausted)
        {
            sweeps++;
            bool moved = false;
            foreach (var parameter in parameters)
            {
                foreach (double value in parameter.Values)
                {
                    if (value == incumbent[parameter.Key]) continue;
                    var candidate = new Dictionary<string, double>(incumbent) { [parameter.Key] = value };
                    var trial = Evaluate(candidate, parameter.Key);
                    if (trial is null)
                    {
                        exhausted = true;
                        break;
                    }
                    if (objective.Better(trial.Metrics, current.Metrics))
                    {
                        current = trial;
                        moved = true;
                    }
                }
                incumbent = new Dictionary<string, double>(current.Values);
                if (exhausted) break;
            }
            if (!moved) break;
        }
        return new SearchResult(trials, best!, sweeps, exhausted);
    }

    private static string Id(IReadOnlyList<TuningParameter> parameters, IReadOnlyDictionary<string, double> values) =>
        string.Join(";", parameters.Select(p => values[p.Key].ToString("R", System.Globalization.CultureInfo.InvariantCulture)));
}
