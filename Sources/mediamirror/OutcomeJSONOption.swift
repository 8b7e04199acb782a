import ArgumentParser

/// `--json` of the commands that print an outcome (sync: its summary; report, verify, restore, gc).
struct OutcomeJSONOption: ParsableArguments {
    @Flag(name: .long, help: "Print the outcome as one JSON object.")
    var json = false
}
