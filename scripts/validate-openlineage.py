#!/usr/bin/env python3
"""Validates OpenLineage events (one JSON object per line, as in Padu's outbox) against the
OpenLineage 2-0-2 JSON schemas: the core RunEvent, and every facet against the facet schema its
`_schemaURL` names, when that schema is one of the standard facets. Test tooling only
(`pip install jsonschema`); the schemas are in Tests/ScenarioTests/Fixtures/openlineage/
(Apache-2.0, see the LICENSE.txt there).

Usage: validate-openlineage.py OUTBOX.jsonl [SCHEMA_DIR]; exit 0 when every event is valid.
"""
import json
import os
import sys

from jsonschema import Draft202012Validator
from referencing import Registry, Resource

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    outbox = sys.argv[1]
    schema_dir = sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, "..", "Tests", "ScenarioTests", "Fixtures", "openlineage")
    resources = []
    core = json.load(open(os.path.join(schema_dir, "OpenLineage.json")))
    resources.append((core["$id"], Resource.from_contents(core)))
    facets = {}
    for name in os.listdir(os.path.join(schema_dir, "facets")):
        doc = json.load(open(os.path.join(schema_dir, "facets", name)))
        resources.append((doc["$id"], Resource.from_contents(doc)))
        facets[doc["$id"]] = doc
    registry = Registry().with_resources(resources)
    run_event = {"$ref": core["$id"] + "#/$defs/RunEvent"}
    validator = Draft202012Validator(run_event, registry=registry)
    errors = 0
    count = 0
    for n, line in enumerate(open(outbox, encoding="utf-8"), 1):
        if not line.strip():
            continue
        count += 1
        event = json.loads(line)
        for e in validator.iter_errors(event):
            errors += 1
            print(f"line {n}: RunEvent: {e.json_path}: {e.message}")
        # Each facet against its own schema (the core schema only checks the base facet shape).
        def check(facet, where):
            nonlocal errors
            url = facet.get("_schemaURL", "")
            base, _, fragment = url.partition("#")
            if base not in facets:
                return
            v = Draft202012Validator({"$ref": url}, registry=registry)
            for e in v.iter_errors(facet):
                errors += 1
                print(f"line {n}: {where}: {e.json_path}: {e.message}")
        for k, f in event.get("run", {}).get("facets", {}).items():
            check(f, f"run.facets.{k}")
        for k, f in event.get("job", {}).get("facets", {}).items():
            check(f, f"job.facets.{k}")
        for side in ("inputs", "outputs"):
            for i, d in enumerate(event.get(side, [])):
                for group in ("facets", "inputFacets", "outputFacets"):
                    for k, f in d.get(group, {}).items():
                        check(f, f"{side}[{i}].{group}.{k}")
    print(f"{count} events, {errors} errors")
    sys.exit(1 if errors or count == 0 else 0)


if __name__ == "__main__":
    main()
