package twin

// Result holds the KPIs of one replication, measured after the warm-up.
// Counts are over the measured window; fractions are time-weighted.
type Result struct {
	Seed        uint64  `json:"seed,string"`
	Events      uint64  `json:"events"`
	WallSeconds float64 `json:"wall_s"`

	// ThroughputPerHour is shipped units (good or with an escaped defect)
	// per hour of the measured window, all lines together.
	ThroughputPerHour float64 `json:"throughput_per_hour"`
	// GoodPerHour is good units shipped per hour.
	GoodPerHour float64 `json:"good_per_hour"`
	// MeanFlowTimeS is the mean time from entering the line to leaving it
	// (shipped or scrapped), over units that left during the window.
	MeanFlowTimeS float64 `json:"mean_flow_time_s"`
	// MeanWIP is the time-average number of units in the line.
	MeanWIP float64 `json:"mean_wip"`

	Started        int64 `json:"started"`
	Shipped        int64 `json:"shipped"`
	Good           int64 `json:"good"`
	Scrapped       int64 `json:"scrapped"`
	EscapedDefects int64 `json:"escaped_defects"`
	Reworked       int64 `json:"reworked"`

	// Yield is the final yield: good / (shipped + scrapped).
	Yield float64 `json:"yield"`
	// FirstPassYield is the share of units that left the line good without
	// gaining a defect or taking a rework pass.
	FirstPassYield float64 `json:"first_pass_yield"`

	// Line OEE per ISO 22400 from line counts and times (never an average of
	// station OEEs): OEE = Availability x Performance x Quality.
	OEE          float64 `json:"oee"`
	Availability float64 `json:"availability"`
	Performance  float64 `json:"performance"`
	Quality      float64 `json:"quality"`

	// Bottleneck is the average bottleneck since the warm-up by the active
	// period method (package bottleneck): the station that was the sole or
	// a shifting bottleneck for the largest share of time ("" if none).
	Bottleneck string `json:"bottleneck"`

	// Little is the Little's-law check L = lambda W over the window.
	Little LittleCheck `json:"littles_law"`

	Stations []StationResult `json:"stations"`
	Arms     []ArmResult     `json:"arms,omitempty"`

	// Upkeep holds the wear, maintenance and crew KPIs of a line with wear
	// or a crew (nil, and left out of the JSON, otherwise).
	Upkeep *UpkeepResult `json:"upkeep,omitempty"`

	// Autopilot says what the autopilot flying the line did after the
	// warm-up (nil, and left out of the JSON, when none flew it).
	Autopilot *AutopilotResult `json:"autopilot,omitempty"`

	// Series is the run's output over time from time 0, warm-up included
	// (nil when Options.SeriesBucket < 0). It is not part of the JSON
	// report.
	Series *Series `json:"-"`
}

// LittleCheck compares the measured time-average WIP with the product of
// departure rate and mean flow time.
type LittleCheck struct {
	WIP               float64 `json:"wip"`
	DeparturesPerHour float64 `json:"departures_per_hour"`
	FlowTimeS         float64 `json:"flow_time_s"`
	// RelErr is |L - lambda W| / L.
	RelErr float64 `json:"rel_err"`
}

// StationResult holds one station's KPIs, over all copies of the line.
// The phase fractions (utilization, handling, blocked, starved, down,
// maintenance, held) add up to 1.
type StationResult struct {
	ID string `json:"id"`
	// Utilization is the share of server time spent processing.
	Utilization float64 `json:"utilization"`
	// Handling is the share spent waiting for or being served by an arm.
	Handling    float64 `json:"handling"`
	Blocked     float64 `json:"blocked"`
	Starved     float64 `json:"starved"`
	Down        float64 `json:"down"`
	Maintenance float64 `json:"maintenance"`
	// Held is the share spent idle while held by command (a planned stop;
	// left out of the JSON when 0).
	Held float64 `json:"held,omitempty"`
	OEE  float64 `json:"oee"`
	// BottleneckSole and BottleneckShifting are the shares of time the
	// station was the sole and a shifting bottleneck (the active period
	// method, package bottleneck); their sum is its bottleneck share.
	BottleneckSole     float64 `json:"bottleneck_sole"`
	BottleneckShifting float64 `json:"bottleneck_shifting"`
	// ThroughputPerHour is units leaving the station per hour.
	ThroughputPerHour float64 `json:"throughput_per_hour"`
	Processed         int64   `json:"processed"`
	Defects           int64   `json:"defects"`
	Caught            int64   `json:"caught"`
	Scrapped          int64   `json:"scrapped"`
	Reworked          int64   `json:"reworked"`
	Failures          int64   `json:"failures"`
	MeanBuffer        float64 `json:"mean_buffer"`
	// WearOuts, Maintenances and Health (the mean health of its servers at
	// the end) are given for a station with wear (or, Maintenances, in a
	// line with a crew).
	WearOuts     int64   `json:"wear_outs,omitempty"`
	Maintenances int64   `json:"maintenances,omitempty"`
	Health       float64 `json:"health,omitempty"`
}

// UpkeepResult holds the KPIs of wear, maintenance and the crew, over all
// copies of the line, measured after the warm-up.
type UpkeepResult struct {
	// MaintenanceActions counts calendar maintenance windows and on-demand
	// maintenances of a server; Failures every breakdown (wear-outs
	// included) and WearOuts the servers whose health was used up.
	MaintenanceActions int64 `json:"maintenance_actions"`
	Failures           int64 `json:"failures"`
	WearOuts           int64 `json:"wear_outs"`
	// UnplannedDownH is the server-hours down (failures, wear-outs,
	// breaks, and waiting for a crew member to repair), summed over every
	// server of every station; PlannedDownH the server-hours in
	// maintenance (waiting for the crew to start it included).
	UnplannedDownH float64 `json:"unplanned_down_h"`
	PlannedDownH   float64 `json:"planned_down_h"`
	// Crew is given when the line has a crew.
	Crew *CrewResult `json:"crew,omitempty"`
}

// CrewResult holds the KPIs of the maintenance crews.
type CrewResult struct {
	// Size is the members of every crew together (Spec.People).
	Size int `json:"size"`
	// Utilization is the share of member time on a job (travel included);
	// TravelShare the share of that busy time spent travelling.
	Utilization float64 `json:"utilization"`
	TravelShare float64 `json:"travel_share"`
	// Jobs counts members' arrivals at a job (repairs, maintenances,
	// calendar windows). WaitH is the time machines waited for a member,
	// from the request to the arrival (queue and travel), in hours, summed
	// over those jobs; MeanWaitS is the mean per job. MeanQueue is the
	// time-average number of jobs waiting for a free member.
	Jobs      int64   `json:"jobs"`
	WaitH     float64 `json:"wait_h"`
	MeanWaitS float64 `json:"mean_wait_s"`
	MeanQueue float64 `json:"mean_queue"`
	// PeoplePerMillionGood is the crew size per million good units a year
	// at the measured good output (24/7): Size / (GoodPerHour x 8760 / 1e6).
	PeoplePerMillionGood float64 `json:"people_per_million_good"`
}

// AutopilotResult counts what an autopilot decided and did, after the
// warm-up.
type AutopilotResult struct {
	// Policy is the policy's name.
	Policy string `json:"policy"`
	// Epochs counts its decision epochs; Decisions the actions its policy
	// took, each applied or not: Applied, or not applied because the pilot
	// only recommends (Recommended), had reached its cap of actions per
	// hour (Capped), was held (Held) or the action did not fit what was
	// seen (Invalid). Errors counts epochs that failed.
	Epochs      int64 `json:"epochs"`
	Decisions   int64 `json:"decisions"`
	Applied     int64 `json:"applied"`
	Recommended int64 `json:"recommended"`
	Capped      int64 `json:"capped"`
	Held        int64 `json:"held"`
	Invalid     int64 `json:"invalid"`
	Errors      int64 `json:"errors"`
	// The applied actions by kind: maintenances ordered, crew dispatches,
	// speed changes and buffer moves.
	Maintains    int64 `json:"maintains"`
	Dispatches   int64 `json:"dispatches"`
	SpeedChanges int64 `json:"speed_changes"`
	BufferMoves  int64 `json:"buffer_moves"`
	// Deviations counts the deviations raised and shown to the policy
	// (cycle-time drift of a station, from its published counters).
	Deviations int64 `json:"deviations"`
	// Refused counts applied actions the line refused when they took
	// effect (a machine that went down in between, say).
	Refused int64 `json:"refused"`
}

// ArmResult holds one robot arm's KPIs, over all copies of the line.
type ArmResult struct {
	ID          string  `json:"id"`
	Utilization float64 `json:"utilization"`
	Down        float64 `json:"down"`
	Moves       int64   `json:"moves"`
	MeanQueue   float64 `json:"mean_queue"`
}
