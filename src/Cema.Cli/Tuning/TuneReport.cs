using System.Globalization;
using System.Text;
using System.Text.Json;
using Cema.Actors.Configuration;
using Cema.Models.Adaptation.Methods;
using Cema.Models.Evaluation.Tuning;

namespace Cema.Cli.Tuning;

/// <summary>One method's finished search, with where it started.</summary>
internal sealed record MethodTuneResult(MethodSearch Search, IReadOnlyDictionary<string, double> Configured, SearchResult Result);

/// <summary>
/// EATA's run at its configured settings on the tune's own stream, when CEMA's cap comes from it
/// (cema.tune.cema-below-eata): the issue's "fewer uploads than EATA", as one upload fewer.
/// </summary>
internal sealed record EataReference(double Accuracy, double UploadRate, long Uploads, long Samples)
{
    public double CemaCap => TuningObjective.CapBelow(Uploads, Samples);
}

/// <summary>Everything a tune run reports: the JSON record (every trial) and a short markdown summary.</summary>
internal sealed record TuneRun(
    string Command,
    DateTime Date,
    TunePlan Plan,
    IReadOnlyList<string> Segments,
    ulong StreamSeed,
    Models.Evaluation.SimulationSeeds Seeds,
    int TorchThreads,
    string EdgeSha256,
    string FoundationSha256,
    IReadOnlyList<MethodTuneResult> Methods,
    TimeSpan Elapsed,
    string? WrittenTo,
    EataReference? CemaCapFrom = null)
{
    /// <summary>Every chosen value, as full cema.adapt paths, typed as the configuration holds them (double or bool).</summary>
    public IReadOnlyDictionary<string, object> Chosen =>
        Methods.SelectMany(m => m.Search.Grid.Select(p => (p, value: m.Result.Best.Values[p.Key])))
            .ToDictionary(x => AdaptationSettingsConfig.AdaptPath + "." + x.p.Key, x => x.p.Typed(x.value));

    public string Json()
    {
        // Switches appear as true/false, numbers as numbers.
        Dictionary<string, object> Values(MethodSearch search, IReadOnlyDictionary<string, double> v) =>
            search.Grid.ToDictionary(p => p.Key, p => p.Typed(v[p.Key]));
        var document = new Dictionary<string, object?>
        {
            ["command"] = Command,
            ["date"] = Date.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            ["split"] = "validation",
            ["protocol"] = Plan.Protocol == Models.Data.ShiftMode.PerDomain ? "per-domain" : "continual",
            ["severities"] = Plan.Severities,
            ["rounds"] = Plan.Rounds,
            ["limit"] = Plan.Limit,
            ["segments"] = Segments,
            ["stream_seed"] = StreamSeed,
            ["seeds"] = new { replay = Seeds.Replay, random_upload = Seeds.RandomUpload, torch = Seeds.Torch },
            ["torch_threads"] = TorchThreads,
            ["edge_sha256"] = EdgeSha256,
            ["foundation_sha256"] = FoundationSha256,
            ["elapsed_seconds"] = Math.Round(Elapsed.TotalSeconds, 1),
            ["written_to"] = WrittenTo,
            ["cema_cap_from_eata"] = CemaCapFrom is { } e
                ? new { accuracy = Round(e.Accuracy), upload_rate = Round(e.UploadRate), uploads = e.Uploads, samples = e.Samples, cap = Round(e.CemaCap) }
                : null,
            ["methods"] = Methods.ToDictionary(m => m.Search.Method, m => (object)new Dictionary<string, object?>
            {
                ["objective"] = m.Search.Objective.Describe(),
                ["max_upload_rate"] = m.Search.Objective.MaxUploadRate,
                ["penalty"] = m.Search.Objective.Penalty,
                ["budget"] = m.Search.Budget,
                ["sweeps"] = m.Result.Sweeps,
                ["budget_exhausted"] = m.Result.BudgetExhausted,
                ["grid"] = m.Search.Grid.ToDictionary(p => p.Key, p => p.Values.Select(p.Typed).ToArray()),
                ["configured"] = Values(m.Search, m.Configured),
                ["chosen"] = Values(m.Search, m.Result.Best.Values),
                ["best"] = new { trial = m.Result.Best.Index, accuracy = Round(m.Result.Best.Metrics.Accuracy), upload_rate = Round(m.Result.Best.Metrics.UploadRate), score = Round(m.Result.Best.Score) },
                ["trials"] = m.Result.Trials.Select(t => new Dictionary<string, object?>
                {
                    ["index"] = t.Index,
                    ["changed"] = t.Changed,
                    ["values"] = Values(m.Search, t.Values),
                    ["accuracy"] = Round(t.Metrics.Accuracy),
                    ["upload_rate"] = Round(t.Metrics.UploadRate),
                    ["score"] = Round(t.Score),
                    ["extra"] = t.Metrics.Extra,
                    ["seconds"] = Math.Round(t.Elapsed.TotalSeconds, 1),
                }).ToArray(),
            }),
        };
        return JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    public string Markdown()
    {
        var text = new StringBuilder();
        string protocol = Plan.Protocol == Models.Data.ShiftMode.PerDomain ? "per-domain" : "continual";
        text.AppendLine($"# cema tune, {Date:yyyy-MM-dd HH:mm} UTC")
            .AppendLine()
            .AppendLine($"`{Command}` — {Elapsed.TotalMinutes:F1} min. Validation split (the last 5,000 training images), the validation corruptions only " +
                $"({string.Join(", ", Segments)}), {protocol}, {Plan.Limit} images per corruption; the test set was not read.")
            .AppendLine($"Seeds: stream {StreamSeed}, replay {Seeds.Replay}, random upload {Seeds.RandomUpload}, torch {Seeds.Torch}; {TorchThreads} LibTorch threads. " +
                $"Models: edge {EdgeSha256[..12]}…, foundation {FoundationSha256[..12]}….")
            .AppendLine();
        foreach (var m in Methods)
        {
            var best = m.Result.Best;
            var start = m.Result.Trials[0];
            text.AppendLine($"## {m.Search.Method}")
                .AppendLine()
                .AppendLine($"Objective: {m.Search.Objective.Describe()}. Coordinate descent, {m.Result.Trials.Count} evaluations (budget {m.Search.Budget}), " +
                    $"{m.Result.Sweeps} sweep(s){(m.Result.BudgetExhausted ? ", stopped by the budget" : "")}.")
                .AppendLine();
            if (CemaCapFrom is { } e && m.Search.Method == AdaptationMethods.Cema)
                text.AppendLine($"The cap is one upload fewer than EATA's on this stream (cema.tune.cema-below-eata): EATA at its configured settings, " +
                        $"{e.Accuracy:F2}% at {e.UploadRate:F2}% uploads ({e.Uploads} of {e.Samples}).")
                    .AppendLine();
            text.AppendLine($"Start (grid point nearest the configured values): accuracy {start.Metrics.Accuracy:F2}%, upload {start.Metrics.UploadRate:F1}%. " +
                    $"Chosen (trial {best.Index}): accuracy **{best.Metrics.Accuracy:F2}%**, upload **{best.Metrics.UploadRate:F1}%**.")
                .AppendLine()
                .AppendLine("| key (cema.adapt.) | configured | chosen | grid |")
                .AppendLine("|---|---|---|---|");
            foreach (var p in m.Search.Grid)
                text.AppendLine($"| {p.Key} | {p.Render(m.Configured[p.Key])} | {p.Render(best.Values[p.Key])} | {string.Join(", ", p.Values.Select(p.Render))} |");
            text.AppendLine()
                .AppendLine("| trial | changed | value | accuracy % | upload % | score | s |")
                .AppendLine("|---|---|---|---|---|---|---|");
            foreach (var t in m.Result.Trials)
                text.AppendLine($"| {t.Index}{(t == best ? " *" : "")} | {t.Changed ?? "(start)"} | {(t.Changed is { } k ? m.Search.Grid.First(p => p.Key == k).Render(t.Values[k]) : "")} | {t.Metrics.Accuracy:F2} | {t.Metrics.UploadRate:F1} | {t.Score:F2} | {t.Elapsed.TotalSeconds:F0} |");
            text.AppendLine();
        }
        text.AppendLine(WrittenTo is null ? "Not written (run with --write to put the chosen values into reference.conf)." : $"Written to `{WrittenTo}`.");
        return text.ToString();
    }

    private static double Round(double v) => Math.Round(v, 4);
}
