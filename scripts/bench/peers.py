#!/usr/bin/env python3
"""The peers of `make bench`: load one input into a fresh SQLite file the way each tool
naturally does it, with no validation (no NIK checks, no region resolution, values as text
unless the tool types them itself). Run by bench.py in .build/bench-venv, one process per
measured run.

Usage: peers.py TOOL KIND INPUT DB
  TOOL  pandas | polars | duckdb | calamine | openpyxl | lxml
  KIND  registry | baznas (`;` CSV) | csr (XLSX) | sdmx (SDMX-ML GenericData)
Prints how the rows reached SQLite (`via ...`); bench.py counts the rows afterwards.
"""
import sqlite3
import sys

# Rows above the header: Baznas has a 3-row title block, the CSR workbook a 3-row one too.
SKIP = {"registry": 0, "baznas": 3, "csr": 3}


def insert(con, columns, rows, table="data"):
    """CREATE TABLE with the given columns, then executemany the row iterator, in one transaction."""
    names = ", ".join('"' + str(c).replace('"', '""') + '"' for c in columns)
    con.execute(f"CREATE TABLE {table} ({names})")
    con.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' * len(columns))})", rows)
    con.commit()


def pandas_csv(kind, path, db):
    import pandas as pd
    df = pd.read_csv(path, sep=";", dtype=str, encoding="utf-8-sig", skiprows=SKIP[kind])
    with sqlite3.connect(db) as con:
        df.to_sql("data", con, index=False)
    print("via pandas.read_csv(dtype=str) + DataFrame.to_sql(sqlite3 connection)")


def polars_csv(kind, path, db):
    import polars as pl
    df = pl.read_csv(path, separator=";", infer_schema_length=0, skip_rows=SKIP[kind])
    with sqlite3.connect(db) as con:
        insert(con, df.columns, df.iter_rows())
    print("via polars.read_csv(all text) + sqlite3 executemany(DataFrame.iter_rows())")


def duckdb_connect(db):
    """A DuckDB connection with the SQLite database attached as `lite`, or None when the
    sqlite extension cannot be loaded (it is normally downloaded at run time; here it comes
    from the duckdb-extension-sqlite-scanner wheel)."""
    import duckdb
    con = duckdb.connect()
    try:
        load_extension(con, "sqlite_scanner")
        con.execute(f"ATTACH '{db}' AS lite (TYPE sqlite)")
        return con, True
    except Exception as e:  # noqa: BLE001 - fall back to executemany below
        print(f"duckdb sqlite extension unavailable ({e}); falling back to sqlite3 executemany", file=sys.stderr)
        return con, False


def load_extension(con, name):
    import glob
    import importlib
    import os
    try:
        module = importlib.import_module(f"duckdb_extension_{name}")
        files = glob.glob(os.path.join(os.path.dirname(module.__file__), "extensions", "*", f"{name}.duckdb_extension"))
        con.execute(f"LOAD '{files[0]}'")  # DuckDB checks the extension's signature
    except (ImportError, IndexError):
        con.execute(f"LOAD {name}")  # already installed in ~/.duckdb, if at all


def duckdb_load(con, attached, select, db):
    if attached:
        con.execute(f"CREATE TABLE lite.data AS {select}")
        return "via DuckDB sqlite extension: CREATE TABLE lite.data AS SELECT ..."
    cur = con.execute(select)
    columns = [d[0] for d in cur.description]

    def rows():
        while batch := cur.fetchmany(10_000):
            yield from batch
    with sqlite3.connect(db) as lite:
        insert(lite, columns, rows())
    return "via DuckDB fetchmany + sqlite3 executemany (sqlite extension unavailable)"


def duckdb_csv(kind, path, db):
    con, attached = duckdb_connect(db)
    quoted = path.replace("'", "''")
    select = f"SELECT * FROM read_csv('{quoted}', delim=';', header=true, all_varchar=true, skip={SKIP[kind]})"
    print(duckdb_load(con, attached, select, db))


def duckdb_xlsx(kind, path, db):
    con, attached = duckdb_connect(db)
    load_extension(con, "excel")
    quoted = path.replace("'", "''")
    select = f"SELECT * FROM read_xlsx('{quoted}', range='A{SKIP[kind] + 1}:H1048576', stop_at_empty=true)"
    print(duckdb_load(con, attached, select, db))


def calamine_xlsx(kind, path, db):
    from python_calamine import CalamineWorkbook
    sheet = CalamineWorkbook.from_path(path).get_sheet_by_index(0)
    rows = iter(sheet.iter_rows()) if hasattr(sheet, "iter_rows") else iter(sheet.to_python())
    for _ in range(SKIP[kind]):
        next(rows)
    with sqlite3.connect(db) as con:
        insert(con, next(rows), rows)
    print("via python-calamine iter_rows + sqlite3 executemany")


def openpyxl_xlsx(kind, path, db):
    import openpyxl
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    rows = wb.worksheets[0].iter_rows(values_only=True)
    for _ in range(SKIP[kind]):
        next(rows)
    with sqlite3.connect(db) as con:
        insert(con, next(rows), rows)
    wb.close()
    print("via openpyxl (read_only) iter_rows + sqlite3 executemany")


def lxml_sdmx(kind, path, db):
    from lxml import etree
    g = "{http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/generic}"
    columns = ["ref_area", "indicator", "breakdown", "unit", "period", "value"]
    with sqlite3.connect(db) as con:
        con.execute(f"CREATE TABLE data ({', '.join(columns)})")
        batch = []
        for _, series in etree.iterparse(path, events=("end",), tag=g + "Series"):
            key = {v.get("id"): v.get("value") for v in series.find(g + "SeriesKey")}
            attrs = series.find(g + "Attributes")
            unit = attrs.find(f"{g}Value[@id='UNIT_MEASURE']").get("value") if attrs is not None else None
            area, indicator = key.pop("REF_AREA", None), key.pop("INDICATOR", None)
            key.pop("FREQ", None)
            breakdown = ", ".join(f"{k}={key[k]}" for k in sorted(key)) or None
            for obs in series.iterfind(g + "Obs"):
                batch.append((area, indicator, breakdown, unit, obs.find(g + "ObsDimension").get("value"),
                              obs.find(g + "ObsValue").get("value")))
            series.clear()
            while series.getprevious() is not None:
                del series.getparent()[0]
            if len(batch) >= 10_000:
                con.executemany("INSERT INTO data VALUES (?, ?, ?, ?, ?, ?)", batch)
                batch.clear()
        con.executemany("INSERT INTO data VALUES (?, ?, ?, ?, ?, ?)", batch)
        con.commit()
    print("via lxml.etree.iterparse (Series, cleared as it goes) + sqlite3 executemany in batches of 10,000")


TOOLS = {
    ("pandas", "csv"): pandas_csv, ("polars", "csv"): polars_csv, ("duckdb", "csv"): duckdb_csv,
    ("duckdb", "xlsx"): duckdb_xlsx, ("calamine", "xlsx"): calamine_xlsx, ("openpyxl", "xlsx"): openpyxl_xlsx,
    ("lxml", "sdmx"): lxml_sdmx,
}
FORMAT = {"registry": "csv", "baznas": "csv", "csr": "xlsx", "sdmx": "sdmx"}

if __name__ == "__main__":
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    tool, kind, path, db = sys.argv[1:]
    TOOLS[(tool, FORMAT[kind])](kind, path, db)
