namespace ModelMeter.Application.Imports;

/// <summary>What an import did. In JSON: <c>imported</c>, <c>dry_run</c>, <c>already_imported</c>, <c>refused</c>.</summary>
public enum ImportOutcome
{
    /// <summary>The rows were written in one transaction (replacing restated periods).</summary>
    Imported,

    /// <summary><c>--dry-run</c>: everything was read and validated; nothing was written.</summary>
    DryRun,

    /// <summary>Every file's content was imported before (same SHA-256); nothing was done.</summary>
    AlreadyImported,

    /// <summary>Bad rows (without <c>--skip-bad-rows</c>) or no rows at all: nothing was written, the store is as it was.</summary>
    Refused,
}
