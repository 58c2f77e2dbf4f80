using Cema.Actors.Configuration;
using Cema.Models.Adaptation.Methods;
using Cema.Models.Data;
using Cema.Models.Evaluation.Tuning;

namespace Cema.Cli.Tuning;

/// <summary>One method's search: its grid (keys relative to cema.adapt), budget and objective.</summary>
internal sealed record MethodSearch(string Method, IReadOnlyList<TuningParameter> Grid, int Budget, TuningObjective Objective);

/// <summary>
/// <c>cema.tune</c> read from configuration: the validation stream (severities, protocol, images per
/// corruption) and, per tuned method, its grid, budget and objective. Tent uploads everything by
/// definition, so it is tuned for accuracy alone; CEMA and EATA, which choose what to upload, under the
/// same upload cap.
/// </summary>
/// <param name="CemaBelowEata">Whether CEMA's cap comes from EATA's run on the same stream (cema.tune.cema-below-eata) instead of max-upload-rate.</param>
internal sealed record TunePlan(IReadOnlyList<int> Severities, int Rounds, ShiftMode Protocol, int Limit, int Sweeps, IReadOnlyList<MethodSearch> Searches, bool CemaBelowEata = false)
{
    public const string Path = "cema.tune";

    /// <summary>The methods cema.tune has grids for, in the order they are searched.</summary>
    public static IReadOnlyList<string> Tunable { get; } = new[] { AdaptationMethods.Cema, AdaptationMethods.Eata, AdaptationMethods.Tent };

    /// <param name="keys">When given, only these grid keys are searched (a method left with none is not tuned); an unknown key is an error.</param>
    public static TunePlan FromConfig(Config config, IReadOnlyList<string> methods, int? limit, int? budget, IReadOnlyList<string>? keys = null)
    {
        var tune = config.GetConfig(Path);
        var severities = tune.GetIntList("severities");
        if (severities.Count == 0 || severities.Any(s => s < Corruption.MinSeverity || s > Corruption.MaxSeverity))
            throw new ConfigException($"'{Path}.severities' must list severities {Corruption.MinSeverity}–{Corruption.MaxSeverity}", Path + ".severities");
        var protocol = tune.GetString("protocol") switch
        {
            "continual" => ShiftMode.Continual,
            "per-domain" => ShiftMode.PerDomain,
            var other => throw new ConfigException($"'{Path}.protocol' must be continual or per-domain, but it is \"{other}\"", Path + ".protocol"),
        };
        int rounds = tune.GetInt("rounds");
        if (rounds < 1) throw new ConfigException($"'{Path}.rounds' must be at least 1", Path + ".rounds");
        int sweeps = tune.GetInt("sweeps");
        if (sweeps < 1) throw new ConfigException($"'{Path}.sweeps' must be at least 1", Path + ".sweeps");
        double cap = tune.GetDouble("max-upload-rate"), penalty = tune.GetDouble("penalty");

        var searches = new List<MethodSearch>();
        foreach (string method in Tunable.Where(methods.Contains))
        {
            var grid = tune.GetConfig("grid." + method);
            // A key whose configured value is a switch takes a grid of booleans.
            var parameters = grid.Keys.Where(k => keys is null || keys.Contains(k)).Select(key => config.GetValue($"{AdaptationSettingsConfig.AdaptPath}.{key}").Type == ConfigValueType.Boolean
                ? TuningParameter.Switch(key, grid.GetBooleanList($"\"{key}\""))
                : new TuningParameter(key, grid.GetDoubleList($"\"{key}\""))).ToArray();
            foreach (var p in parameters)
            {
                try
                {
                    p.Validate();
                }
                catch (ArgumentException e)
                {
                    throw new ConfigException($"'{Path}.grid.{method}': {e.Message}", $"{Path}.grid.{method}", inner: e);
                }
            }
            if (parameters.Length == 0) continue;
            int methodBudget = budget ?? tune.GetInt("budget." + method);
            if (methodBudget < 1) throw new ConfigException($"the tune budget of {method} must be at least 1 evaluation", $"{Path}.budget.{method}");
            var objective = new TuningObjective(method == AdaptationMethods.Tent ? null : cap, penalty).Validate();
            searches.Add(new MethodSearch(method, parameters, methodBudget, objective));
        }
        if (keys is not null)
        {
            var known = Tunable.Where(methods.Contains).SelectMany(m => tune.GetConfig("grid." + m).Keys).ToHashSet();
            var unknown = keys.Where(k => !known.Contains(k)).ToArray();
            if (unknown.Length > 0) throw new ArgumentException($"--keys: no grid for {string.Join(", ", unknown)} (grids: {string.Join(", ", known)})");
        }
        if (searches.Count == 0) throw new ArgumentException("nothing to tune: no grid key left for the chosen methods");
        return new TunePlan(severities, rounds, protocol, limit ?? tune.GetInt("limit"), sweeps, searches, tune.GetBool("cema-below-eata"));
    }

    /// <summary>This plan with CEMA's search capped at <paramref name="cap"/> percent (the cap below EATA's run).</summary>
    public TunePlan WithCemaCap(double cap) => this with
    {
        Searches = Searches.Select(s => s.Method == AdaptationMethods.Cema ? s with { Objective = s.Objective with { MaxUploadRate = cap } } : s).ToArray(),
    };

    /// <summary>
    /// The validation stream's segments: <see cref="Rounds"/> passes, each over every severity's 4 validation corruptions
    /// in their registry order (a repeated segment reuses its images in a new order).
    /// </summary>
    public IReadOnlyList<ShiftSegment> Segments =>
        Enumerable.Range(0, Rounds).SelectMany(_ => Severities.SelectMany(s => Corruption.Validation.Select(c => new ShiftSegment(c.Name, s)))).ToArray();
}
