namespace Cema.Models.Adaptation;

/// <summary>Which rule of <see cref="EntropySelector"/> decided a sample (rules apply in the order of <see cref="SelectionCounts"/>).</summary>
public enum SelectionOutcome { Kept, Unreliable, LowInformative, Redundant }
