using ModelMeter.Application.Attribution;
using Microsoft.AspNetCore.Mvc;
using ModelMeter.Server.Apis;

namespace ModelMeter.Server.Pages;

/// <summary>The showback statement (<c>allocate</c>), and with <c>?explain=tag:team=nlp</c> every amount a team received.</summary>
public sealed class AllocationModel(Caller caller, AllocationUseCase allocation) : DashboardPage(caller)
{
    /// <summary>The most received amounts listed; the totals cover them all.</summary>
    public const int Listed = 200;

    [BindProperty(SupportsGet = true)]
    public string? Explain { get; set; }

    public AllocationView? View { get; private set; }

    public AllocationView? Explanation { get; private set; }

    public void OnGet()
    {
        View = Try(() => allocation.Run(new AllocationRequest { Store = Caller.Store, Access = Caller.Access, Query = Query() }));
        if (View is not null && !string.IsNullOrWhiteSpace(Explain))
        {
            Explanation = Try(() => allocation.Run(new AllocationRequest { Store = Caller.Store, Access = Caller.Access, Query = Query(), Explain = Explain }));
        }
    }
}
