import Foundation
import MapProgramPlugin
import MatchIdentityPlugin
import PaduCore
import PaduPlugins
import PaduReference
import PaduWarehouse
import RegionCrosswalkPlugin
import XCTest

/// Writes `lines` the way Indonesian Excel saves "CSV UTF-8": a BOM, `;` between fields, CRLF.
func writeExcelCSV(_ lines: [String], to path: String) throws {
    let text = "\u{FEFF}" + lines.joined(separator: "\r\n") + "\r\n"
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
}

/// The consolidation plugins one at a time: map-program (catalog file, bundled catalog, need
/// keywords), match-identity (scores, decisions, scan, reloads), region-crosswalk, and the
/// quality and consolidation columns the warehouse sink writes.
final class ConsolidationTests: XCTestCase {
    private var folder: TemporaryFolder!
    private var warehouse: Warehouse!

    override func setUpWithError() throws {
        folder = try TemporaryFolder()
        warehouse = try Warehouse(path: folder.path("warehouse.sqlite"))
    }

    override func tearDownWithError() throws {
        warehouse = nil
        folder?.remove()
    }

    // MARK: - Fixtures

    /// A P3KE extract of Kecamatan Kalirejo (18.02.01): NIKs and KKs consistent with the birth
    /// and issue dates. SUPARMIN is one letter from SUPARMAN, in the same desa.
    private static let registryLines = [
        "ID KELUARGA P3KE;NIK;NO KK;NAMA;JENIS KELAMIN;TANGGAL LAHIR;HUBUNGAN KELUARGA;KODE DESA;DESIL KESEJAHTERAAN;STATUS KEPESERTAAN",
        "P3KE-0001;1802011204800001;1802012003100001;Drs. Suparman;L;12/04/1980;KEPALA KELUARGA;1802012001;1;AKTIF",
        "P3KE-0001;1802015506850002;1802012003100001;SITI AMINAH;P;15/06/1985;ISTRI;1802012001;1;AKTIF",
        "P3KE-0001;1802010307050006;1802012003100001;SUPARMIN;L;03/07/2005;ANAK;1802012001;1;AKTIF",
        "P3KE-0002;1802010101750003;1802010202160002;SUTRISNO;L;01/01/1975;KEPALA KELUARGA;1802012002;2;AKTIF",
        "P3KE-0003;1802015208900004;1802010303170003;DEWI LESTARI;P;12/08/1990;KEPALA KELUARGA;1802012005;3;MENINGGAL",
        "P3KE-0004;1802010505820005;1802010404180004;SUPARMAN;L;05/05/1982;KEPALA KELUARGA;1802012002;4;AKTIF",
    ]

    /// A company's per-person CSR list: only the first row gives a NIK.
    private static let csrLines = [
        "LAPORAN PENYALURAN BANTUAN TJSL PT SUMBER AGRO LESTARI;;;;;;;",
        "KECAMATAN KALIREJO TAHUN 2025;;;;;;;",
        "No;NIK;Nama Penerima;Jenis Bantuan;Nilai Bantuan (Rp);Tanggal Penyaluran;Desa;Kecamatan",
        "1;1802011204800001;Suparman;Paket Sembako;150.000;14/07/2025;Sri Way Langsep;Kalirejo",
        "2;;Bpk. Sutrisno;Modal Usaha;1.000.000;15/07/2025;Wayakrui;Kalirejo",
        "3;;Siti Aminah;Bantuan Tunai;300.000;16/07/2025;Sri Way Langsep;Kalirejo",
        "4;;Dewi Lestary;Beasiswa;500.000;17/07/2025;Watu Agung;Kalirejo",
        "5;;Suparman;Paket Sembako;150.000;18/07/2025;Sri Way Langsep;Kalirejo",
    ]

    private static let catalogLines = [
        "kode;nama;jenis_penyedia;penyedia;kebutuhan;alias",
        "CSR-SAL-SEMBAKO;Paket Sembako Peduli;CSR;PT Sumber Agro Lestari;pangan;Paket Sembako|Sembako Peduli",
        "CSR-SAL-TUNAI;Bantuan Tunai Dhuafa;CSR;PT Sumber Agro Lestari;tunai;Bantuan Tunai",
    ]

    private func loadRegistry() throws -> RunResult {
        let path = folder.path("p3ke-kalirejo-2025.csv")
        try writeExcelCSV(Self.registryLines, to: path)
        let spec = registryPipeline(name: "p3ke-2025", registry: "P3KE", sourceOptions: ["snapshot": .string("2025-06-30")],
                                    transforms: [
                                        StageSpec(plugin: "validate-nik", options: ["onInvalid": .string("quarantine")]),
                                        StageSpec(plugin: "validate-kk", options: ["onInvalid": .string("keep")]),
                                        StageSpec(plugin: "normalize-name"),
                                        StageSpec(plugin: "resolve-region", options: ["within": .string("18.02")]),
                                    ])
        let result = try runPipeline(spec, inputs: [path], into: warehouse)
        XCTAssertEqual(result.status, .succeeded, result.inputs.first?.message ?? "")
        return result
    }

    private func csrPipeline(catalog: String? = nil, onUnmapped: String? = nil, validateNIK: String = "flag") -> PipelineSpec {
        var mapOptions: [String: OptionValue] = [:]
        if let catalog { mapOptions["catalog"] = .string(catalog) }
        if let onUnmapped { mapOptions["onUnmapped"] = .string(onUnmapped) }
        return PipelineSpec(name: "csr-sal",
                            source: StageSpec(plugin: "csr-spreadsheet", options: ["provider": .string("PT Sumber Agro Lestari")]),
                            transforms: [
                                StageSpec(plugin: "validate-nik", options: ["onInvalid": .string(validateNIK)]),
                                StageSpec(plugin: "normalize-name"),
                                StageSpec(plugin: "resolve-region", options: ["within": .string("18.02")]),
                                StageSpec(plugin: "map-program", options: mapOptions),
                                StageSpec(plugin: "match-identity"),
                            ],
                            sink: StageSpec(plugin: "warehouse", options: ["dataset": .string("assistance")]))
    }

    private func loadCSR(_ lines: [String] = csrLines, force: Bool = false) throws -> RunResult {
        let catalog = folder.path("program-catalog.csv")
        try writeExcelCSV(Self.catalogLines, to: catalog)
        let path = folder.path("csr-sal-2025.csv")
        try writeExcelCSV(lines, to: path)
        let result = try runPipeline(csrPipeline(catalog: catalog), inputs: [path], into: warehouse, force: force)
        XCTAssertEqual(result.status, .succeeded, result.inputs.first?.message ?? "")
        assertBalanced(result)
        return result
    }

    private func text(_ value: SQLValue) -> String? {
        if case .text(let s) = value { return s }
        return nil
    }

    // MARK: - map-program: the catalog file

    func testCatalogFileWithHeaderAliasesLoads() throws {
        let path = folder.path("katalog.csv")
        try writeExcelCSV([
            "Kode Program;Nama Program;Sumber Dana;Instansi;Kategori;Nama Lain",
            "APBD-LT-BEASISWA;Beasiswa Lampung Tengah Cerdas;apbd;Pemkab Lampung Tengah;Pendidikan;Beasiswa LTC | LTC",
            ";;;;;",
            "CSR-SAL-MODAL;Modal Usaha Mikro;CSR;;;",
        ], to: path)
        let catalog = try ProgramCatalog.load(path: path, name: "katalog.csv")
        XCTAssertEqual(catalog.programs.map(\.code), ["APBD-LT-BEASISWA", "CSR-SAL-MODAL"])
        let first = catalog.programs[0]
        XCTAssertEqual(first.name, "Beasiswa Lampung Tengah Cerdas")
        XCTAssertEqual(first.providerKind, "APBD", "the kind is upper-cased")
        XCTAssertEqual(first.provider, "Pemkab Lampung Tengah")
        XCTAssertEqual(first.need, .education)
        XCTAssertEqual(first.aliases, ["Beasiswa LTC", "LTC"])
        XCTAssertEqual(first.catalog, "katalog.csv")
        let second = catalog.programs[1]
        XCTAssertNil(second.provider)
        XCTAssertNil(second.need, "no kebutuhan: the aid's words decide")
        XCTAssertEqual(second.aliases, [])
        // Looked up by code, name or alias, ignoring case, spaces and punctuation.
        XCTAssertEqual(catalog.program(named: "beasiswa ltc", providerKind: "APBD")?.code, "APBD-LT-BEASISWA")
        XCTAssertEqual(catalog.program(named: "apbd-lt-beasiswa", providerKind: "APBD")?.code, "APBD-LT-BEASISWA")
        XCTAssertEqual(catalog.program(named: "MODAL USAHA MIKRO", providerKind: "CSR")?.code, "CSR-SAL-MODAL")
        XCTAssertNil(catalog.program(named: "Beasiswa LTC", providerKind: "CSR"))
    }

    func testCatalogFileErrorsNameTheFileAndLine() throws {
        func loadError(_ lines: [String], file: StaticString = #filePath, line: UInt = #line) -> String {
            let path = folder.path("catalog-\(UUID().uuidString).csv")
            do {
                if lines.isEmpty {
                    try Data("\u{FEFF}".utf8).write(to: URL(fileURLWithPath: path))
                } else {
                    try writeExcelCSV(lines, to: path)
                }
                _ = try ProgramCatalog.load(path: path, name: "program-catalog.csv")
                XCTFail("the catalog loaded", file: file, line: line)
                return ""
            } catch {
                return "\(error)"
            }
        }
        let missing = loadError(["kode;nama;penyedia", "X;Y;Z"])
        XCTAssertTrue(missing.hasPrefix("program-catalog.csv"), missing)
        XCTAssertTrue(missing.contains("no jenis_penyedia column"), missing)
        XCTAssertTrue(missing.contains("found: kode, nama, penyedia"), missing)

        let kind = loadError(["kode;nama;jenis_penyedia", "A;Program A;APBN", "B;Program B;Swasta"])
        XCTAssertTrue(kind.hasPrefix("program-catalog.csv:3:"), kind)
        XCTAssertTrue(kind.contains("jenis_penyedia 'Swasta' must be APBN, APBD, CSR or ZAKAT"), kind)

        let need = loadError(["kode;nama;jenis_penyedia;kebutuhan", "A;Program A;CSR;hiburan"])
        XCTAssertTrue(need.hasPrefix("program-catalog.csv:2:"), need)
        XCTAssertTrue(need.contains("kebutuhan 'hiburan' is not one of food, cash"), need)

        let duplicate = loadError(["kode;nama;jenis_penyedia", "A;Program A;CSR", "", "A;Program A lagi;CSR"])
        XCTAssertTrue(duplicate.hasPrefix("program-catalog.csv:4:"), duplicate)
        XCTAssertTrue(duplicate.contains("program code A already defined at line 2"), duplicate)

        let noName = loadError(["kode;nama;jenis_penyedia", "A;;CSR"])
        XCTAssertTrue(noName.hasPrefix("program-catalog.csv:2:"), noName)
        XCTAssertTrue(noName.contains("kode and nama are required"), noName)

        let empty = loadError([])
        XCTAssertTrue(empty.contains("the program catalog is empty"), empty)
    }

    // MARK: - map-program: the bundled catalog and the need keywords

    func testBundledLookupIsGatedByProviderKind() {
        let bundled = ProgramCatalog.bundled
        XCTAssertEqual(bundled.program(named: "Program Sembako", providerKind: "APBN")?.code, "BPNT")
        XCTAssertEqual(bundled.program(named: "bpnt", providerKind: "APBN")?.need, .food)
        XCTAssertEqual(bundled.program(named: "P.K.H.", providerKind: "APBN")?.code, "PKH")
        XCTAssertEqual(bundled.program(named: "Kartu Indonesia Sehat", providerKind: "APBN")?.need, .health)
        // A zakat or CSR "Sembako" is not the Kemensos BPNT program.
        XCTAssertNil(bundled.program(named: "Program Sembako", providerKind: "ZAKAT"))
        XCTAssertNil(bundled.program(named: "BPNT", providerKind: "CSR"))
        XCTAssertNil(bundled.program(named: "Sembako", providerKind: "ZAKAT"))
        // Baznas programs only for ZAKAT rows.
        XCTAssertEqual(bundled.program(named: "Indonesia Sehat", providerKind: "ZAKAT")?.code, "BAZNAS-SEHAT")
        XCTAssertEqual(bundled.program(named: "Indonesia Takwa", providerKind: "ZAKAT")?.code, "BAZNAS-TAQWA")
        XCTAssertNil(bundled.program(named: "Indonesia Peduli", providerKind: "ZAKAT")?.need, "Peduli serves several needs")
        XCTAssertNil(bundled.program(named: "Indonesia Sehat", providerKind: "CSR"))
        XCTAssertEqual(bundled.program(named: "RTLH", providerKind: "APBD")?.need, .housing)
        XCTAssertNil(bundled.program(named: "RTLH", providerKind: "APBN"))
    }

    func testCatalogFileEntriesWinOverBundledOnes() throws {
        let path = folder.path("catalog.csv")
        try writeExcelCSV(["kode;nama;jenis_penyedia;penyedia;kebutuhan;alias",
                           "PKH-LT;PKH Plus Lampung Tengah;APBN;Dinsos Lampung Tengah;tunai;PKH"], to: path)
        let catalog = ProgramCatalog.bundled.adding(try ProgramCatalog.load(path: path, name: "catalog.csv"))
        XCTAssertEqual(catalog.program(named: "PKH", providerKind: "APBN")?.code, "PKH-LT")
        XCTAssertEqual(catalog.program(named: "Program Keluarga Harapan", providerKind: "APBN")?.code, "PKH")
    }

    func testNeedFromKeywords() {
        let cases: [(String, Need?)] = [
            ("Paket Sembako", .food), ("Beras 10 kg", .food), ("Beasiswa", .education), ("Seragam sekolah", .education),
            ("Bedah Rumah", .housing), ("Rumah", .housing), ("Sumur bor", .housing),
            ("Modal Usaha", .livelihood), ("Bantuan kambing", .livelihood),
            ("Santunan", .cash), ("Uang tunai", .cash), ("Biaya berobat", .health),
            ("Biaya Rumah Sakit", .health), ("Operasi di rumah sakit", .health), ("Bedah rumah", .housing),
            ("Perlengkapan ibadah", nil), ("Sembakonya", nil), ("", nil),
        ]
        for (text, need) in cases {
            XCTAssertEqual(NeedKeywords.need(in: [text]), need, text)
        }
        // Bedah Rumah is housing even next to a word of another need; the first text that names one decides.
        XCTAssertEqual(NeedKeywords.need(in: ["Bedah Rumah dan santunan"]), .housing)
        XCTAssertEqual(NeedKeywords.need(in: ["Kegiatan sosial", "Modal usaha warung"]), .livelihood)
        XCTAssertEqual(Need.parse("Pangan"), .food)
        XCTAssertEqual(Need.parse("pendidikan"), .education)
        XCTAssertEqual(Need.parse("HEALTH"), .health)
        XCTAssertEqual(Need.parse("Lain-lain"), .other)
        XCTAssertNil(Need.parse("hiburan"))
    }

    // MARK: - map-program: the stage

    private func mapProgramStage(_ options: [String: OptionValue] = [:]) throws -> any TransformStage {
        guard case .transform(let stage) = try MapProgramTransform.descriptor.make(PluginOptions(options)) else {
            throw WrongStageKind(message: "map-program did not make a transform")
        }
        return stage
    }

    private func aidBatch(_ rows: [(kind: String, program: String?, aid: String?)]) -> Batch {
        var batch = Batch(schema: Schema([Field("provider_kind", .string), Field("program", .string), Field("jenis_bantuan", .string),
                                          Field("kegiatan", .string)]),
                          input: InputRef(id: 1, sha256: "s", path: "/aid.csv"))
        for (i, r) in rows.enumerated() {
            batch.append([.string(r.kind), r.program.map(Value.string) ?? .null, r.aid.map(Value.string) ?? .null, .null],
                         origin: RowOrigin(row: i + 2))
        }
        return batch
    }

    func testMapProgramFillsCodeProviderAndNeed() throws {
        let stage = try mapProgramStage()
        var rejections = Rejections()
        let out = try stage.process(aidBatch([
            (kind: "APBN", program: "BPNT", aid: nil),
            (kind: "ZAKAT", program: nil, aid: "Sembako"),
            (kind: "ZAKAT", program: "Indonesia Peduli", aid: "Uang tunai"),
            (kind: "CSR", program: nil, aid: "Bedah Rumah"),
            (kind: "CSR", program: "Kegiatan Jumat Berkah", aid: "Perlengkapan ibadah"),
        ]), rejections: &rejections, context: stageContext())
        XCTAssertTrue(rejections.isEmpty)
        XCTAssertEqual(out.count, 5)
        func column(_ name: String) -> [String?] { (0..<out.count).map { out.value(name, at: $0).text } }
        XCTAssertEqual(column("program_code"), ["BPNT", nil, "BAZNAS-PEDULI", nil, nil])
        XCTAssertEqual(column("program_catalog"), ["bundled", nil, "bundled", nil, nil])
        XCTAssertEqual(column("program_provider"), ["Kemensos", nil, nil, nil, nil])
        XCTAssertEqual(column("need"), ["food", "food", "cash", "housing", nil])
        let notes = column("program_notes")
        XCTAssertNil(notes[0], "decided by the catalog")
        XCTAssertEqual(notes[1], "program not in the catalog; need 'food' read from 'Sembako'")
        XCTAssertEqual(notes[2], "need 'cash' read from 'Uang tunai / Indonesia Peduli'")
        XCTAssertTrue(notes[4]?.contains("'Kegiatan Jumat Berkah / Perlengkapan ibadah' is not a program of the catalog") ?? false, notes[4] ?? "")
        XCTAssertTrue(notes[4]?.contains("add it to the program catalog") ?? false, notes[4] ?? "")
    }

    func testUnmappedRowsAreQuarantinedWhenAsked() throws {
        let stage = try mapProgramStage(["onUnmapped": .string("quarantine")])
        var rejections = Rejections()
        let out = try stage.process(aidBatch([
            (kind: "CSR", program: nil, aid: "Paket Sembako"),
            (kind: "CSR", program: nil, aid: "Perlengkapan ibadah"),
            (kind: "CSR", program: nil, aid: nil),
        ]), rejections: &rejections, context: stageContext())
        XCTAssertEqual(out.count, 1)
        XCTAssertEqual(out.value("need", at: 0).text, "food")
        XCTAssertEqual(rejections.items.map(\.reason.code), ["unmapped-program", "unmapped-program"])
        XCTAssertEqual(rejections.items.map(\.locator.row), [3, 4])
        XCTAssertEqual(rejections.items.map(\.locator.column), ["program", "program"])
        XCTAssertTrue(rejections.items[1].reason.message.contains("names no program, kind of aid or activity"), rejections.items[1].reason.message)
    }

    func testMapProgramOptionProblems() {
        let d = MapProgramTransform.descriptor
        XCTAssertEqual(d.problems(with: [:]), [])
        XCTAssertEqual(d.problems(with: ["catalog": .string("c.csv"), "bundled": .bool(false)]), [])
        XCTAssertTrue(d.problems(with: ["bundled": .bool(false)]).joined().contains("a catalog file is needed"))
        XCTAssertFalse(d.problems(with: ["onUnmapped": .string("drop")]).isEmpty)
    }

    func testAMissingCatalogColumnFailsTheInputWithTheFile() throws {
        let catalog = folder.path("bad-catalog.csv")
        try writeExcelCSV(["kode;nama;kebutuhan", "X;Program X;pangan"], to: catalog)
        let path = folder.path("csr.csv")
        try writeExcelCSV(Self.csrLines, to: path)
        let result = try runPipeline(csrPipeline(catalog: catalog), inputs: [path], into: warehouse)
        XCTAssertEqual(result.status, .failed)
        XCTAssertTrue(result.inputs[0].message.contains("bad-catalog.csv"), result.inputs[0].message)
        XCTAssertTrue(result.inputs[0].message.contains("jenis_penyedia"), result.inputs[0].message)
        XCTAssertEqual(try warehouse.count("SELECT count(*) FROM assistance"), 0)
        XCTAssertEqual(try warehouse.count("SELECT count(*) FROM program"), 0)
    }

    // MARK: - The assistance sink: programs, needs, identities

    func testAssistanceRowsGetProgramNeedRegionAndIdentityColumns() throws {
        _ = try loadRegistry()
        let result = try loadCSR()
        XCTAssertEqual(result.counts.loaded, 5)
        let rows = try warehouse.rows("""
            SELECT source_row, name, name_raw, name_key, program_code, need, period, region_code, region_status, person_nik,
                   nik_status, match_key IS NOT NULL, amount_sen
            FROM assistance ORDER BY source_row
            """)
        XCTAssertEqual(rows.count, 5)
        XCTAssertEqual(rows[0], [.int(4), .text("SUPARMAN"), .text("Suparman"), .text("SUPARMAN"), .text("CSR-SAL-SEMBAKO"), .text("food"),
                                 .text("2025-07"), .text("18.02.01.2001"), .text("resolved"), .text("1802011204800001"),
                                 .text("valid"), .int(0), .int(15_000_000)])
        XCTAssertEqual(rows[1], [.int(5), .text("SUTRISNO"), .text("Bpk. Sutrisno"), .text("SUTRISNO"), .null, .text("livelihood"),
                                 .text("2025-07"), .text("18.02.01.2002"), .text("resolved"), .null,
                                 .text("missing"), .int(1), .int(100_000_000)])
        XCTAssertEqual(rows.map { $0[4] }, [.text("CSR-SAL-SEMBAKO"), .null, .text("CSR-SAL-TUNAI"), .null, .text("CSR-SAL-SEMBAKO")])
        XCTAssertEqual(rows.map { $0[5] }, [.text("food"), .text("livelihood"), .text("cash"), .text("education"), .text("food")])
        XCTAssertEqual(rows.map { $0[7] }, [.text("18.02.01.2001"), .text("18.02.01.2002"), .text("18.02.01.2001"),
                                            .text("18.02.01.2005"), .text("18.02.01.2001")])

        // The program table holds each catalog program used, with where it comes from.
        // (Not checked: program.name, which gets the row's program text or the code rather than the catalog's name.)
        XCTAssertEqual(try warehouse.rows("SELECT code, provider_kind, provider, need, catalog FROM program ORDER BY code"), [
            [.text("CSR-SAL-SEMBAKO"), .text("CSR"), .text("PT Sumber Agro Lestari"), .text("food"), .text(folder.path("program-catalog.csv"))],
            [.text("CSR-SAL-TUNAI"), .text("CSR"), .text("PT Sumber Agro Lestari"), .text("cash"), .text(folder.path("program-catalog.csv"))],
        ])

        // Possible matches for the rows without a NIK; the row with a valid NIK is that person.
        let matches = try warehouse.identityMatches(status: "possible")
        let byRow = Dictionary(grouping: matches, by: \.sourceRow).mapValues { $0.map { "\($0.candidateNIK) \($0.score) \($0.basis)" } }
        XCTAssertEqual(byRow, [
            5: ["1802010101750003 80 name+desa"],
            6: ["1802015506850002 80 name+desa"],
            7: ["1802015208900004 60 similar name+desa"],
            8: ["1802011204800001 80 name+desa", "1802010307050006 60 similar name+desa"],
        ])
        XCTAssertEqual(try warehouse.count("SELECT count(*) FROM identity_match WHERE subject_key IN (SELECT match_key FROM assistance WHERE source_row = 4)"), 0)
    }

    /// The program table is upserted: a later input describing the same code updates the row.
    func testProgramTableIsUpsertedByALaterInput() throws {
        let first = try loadCSR()
        let catalog = folder.path("program-catalog-2.csv")
        try writeExcelCSV(["kode;nama;jenis_penyedia;penyedia;kebutuhan;alias",
                           "CSR-SAL-SEMBAKO;Paket Sembako Peduli;CSR;PT SAL Tbk;pangan;Paket Sembako"], to: catalog)
        let path = folder.path("csr-sal-2025-08.csv")
        try writeExcelCSV(Array(Self.csrLines.prefix(4)), to: path)
        let result = try runPipeline(csrPipeline(catalog: catalog), inputs: [path], into: warehouse)
        XCTAssertEqual(result.status, .succeeded, result.inputs.first?.message ?? "")
        XCTAssertEqual(try warehouse.rows("SELECT code, provider, catalog, input_id FROM program ORDER BY code"), [
            [.text("CSR-SAL-SEMBAKO"), .text("PT SAL Tbk"), .text(catalog), .int(result.inputs[0].inputID!)],
            [.text("CSR-SAL-TUNAI"), .text("PT Sumber Agro Lestari"), .text(folder.path("program-catalog.csv")), .int(first.inputs[0].inputID!)],
        ])
    }

    func testPersonNIKOnlyWhenTheNIKIsNotMarkedInvalid() throws {
        _ = try loadRegistry()
        let lines = [
            "No;NIK;Nama Penerima;Jenis Bantuan;Nilai Bantuan (Rp);Tanggal Penyaluran;Desa;Kecamatan",
            // Valid.
            "1;1802010101750003;Sutrisno;Paket Sembako;150.000;14/07/2025;Wayakrui;Kalirejo",
            // 16 digits, but day 35 of month 13: kept (onInvalid: keep) with status invalid.
            "2;1802013513750003;Sutrisno;Paket Sembako;150.000;15/07/2025;Wayakrui;Kalirejo",
        ]
        let path = folder.path("csr-nik.csv")
        try writeExcelCSV(lines, to: path)
        let catalog = folder.path("program-catalog.csv")
        try writeExcelCSV(Self.catalogLines, to: catalog)
        let result = try runPipeline(csrPipeline(catalog: catalog, validateNIK: "keep"), inputs: [path], into: warehouse)
        XCTAssertEqual(result.status, .succeeded, result.inputs.first?.message ?? "")
        let rows = try warehouse.rows("SELECT source_row, nik, nik_status, person_nik, match_key IS NOT NULL FROM assistance ORDER BY source_row")
        XCTAssertEqual(rows.count, 2)
        XCTAssertEqual(rows[0], [.int(2), .text("1802010101750003"), .text("valid"), .text("1802010101750003"), .int(0)])
        XCTAssertEqual(rows[1][1], .text("1802013513750003"), "the NIK as written is kept")
        XCTAssertEqual(rows[1][2], .text("invalid"))
        XCTAssertEqual(rows[1][3], .null, "an invalid NIK identifies nobody")
        XCTAssertEqual(rows[1][4], .int(1))
        XCTAssertTrue(text(try warehouse.rows("SELECT nik_notes FROM assistance WHERE source_row = 3")[0][0])?.contains("nik-bad-date") ?? false)
        // It is matched like a row without a NIK.
        XCTAssertEqual(try warehouse.identityMatches().map(\.candidateNIK), ["1802010101750003"])
    }

    // MARK: - match-identity: scores

    func testMatcherScores() throws {
        _ = try loadRegistry()
        let matcher = IdentityMatcher(warehouse: warehouse)
        func found(_ name: String, _ birth: CivilDate?, _ desa: String?) throws -> [String] {
            try matcher.candidates(for: IdentityQuery(nameKey: NameKey.key(name), birthDate: birth, desaCode: desa))
                .map { "\($0.nik) \($0.score) \($0.basis)" }
        }
        let born1980 = CivilDate(year: 1980, month: 4, day: 12)
        let born1970 = CivilDate(year: 1970, month: 1, day: 1)
        // name + birth date + desa
        XCTAssertEqual(try found("Suparman", born1980, "18.02.01.2001"), ["1802011204800001 100 name+birth date+desa"])
        // name + desa; the record gives no birth date (and the one-letter-apart SUPARMIN in the same desa, lower)
        XCTAssertEqual(try found("Suparman", nil, "18.02.01.2001"),
                       ["1802011204800001 80 name+desa", "1802010307050006 60 similar name+desa"])
        // name + birth date, another desa: the SUPARMAN of Wayakrui was born in 1982 and is excluded
        XCTAssertEqual(try found("Suparman", born1980, "18.02.01.2002"), ["1802011204800001 70 name+birth date"])
        // name + birth date, no desa
        XCTAssertEqual(try found("SUPARMAN", born1980, nil), ["1802011204800001 70 name+birth date"])
        // A different birth date excludes, even in the same desa
        XCTAssertEqual(try found("Suparman", born1970, "18.02.01.2001"), [])
        // Name only: no basis at all
        XCTAssertEqual(try found("Suparman", nil, nil), [])
        // One letter apart + desa
        XCTAssertEqual(try found("Dewi Lestary", nil, "18.02.01.2005"), ["1802015208900004 60 similar name+desa"])
        XCTAssertEqual(try found("Dewi Lestary", CivilDate(year: 1990, month: 8, day: 12), "18.02.01.2005"),
                       ["1802015208900004 60 similar name+desa"])
        XCTAssertEqual(try found("Dewi Lestary", born1970, "18.02.01.2005"), [], "a different birth date excludes a similar name")
        XCTAssertEqual(try found("Dewi Lestary", nil, "18.02.01.2001"), [], "a similar name needs the same desa")
        XCTAssertEqual(try found("Dewi Lestarini", nil, "18.02.01.2005"), [], "two letters apart")
        // Normalised names: titles and old spellings do not matter
        XCTAssertEqual(try found("Bapak Soetrisno", nil, "18.02.01.2002"), ["1802010101750003 80 name+desa"])
        XCTAssertEqual(try matcher.candidates(for: IdentityQuery(nameKey: "")), [])

        let one = IdentityMatcher(warehouse: warehouse, limit: 1)
        XCTAssertEqual(try one.candidates(for: IdentityQuery(nameKey: "SUPARMAN", desaCode: "18.02.01.2001")).map(\.nik), ["1802011204800001"])
    }

    func testCandidatesTravelAsText() {
        let candidates = [IdentityCandidate(nik: "1802011204800001", score: 100, basis: "name+birth date+desa"),
                          IdentityCandidate(nik: "1802010307050006", score: 60, basis: "similar name+desa")]
        let text = IdentityCandidate.encode(candidates)
        XCTAssertEqual(text, "1802011204800001|100|name+birth date+desa;1802010307050006|60|similar name+desa")
        XCTAssertEqual(IdentityCandidate.decode(text), candidates)
        XCTAssertEqual(IdentityCandidate.decode(""), [])
        XCTAssertEqual(IdentityCandidate.decode("1802011204800001|x|name;broken;1802010307050006|60|a|b"),
                       [IdentityCandidate(nik: "1802010307050006", score: 60, basis: "a|b")])
    }

    func testMatchIdentityOptionsAndStore() throws {
        let d = MatchIdentityTransform.descriptor
        XCTAssertEqual(d.problems(with: ["minScore": .int(80), "limit": .int(3)]), [])
        XCTAssertTrue(d.problems(with: ["minScore": .int(0)]).joined().contains("minScore must be 1–100"))
        XCTAssertTrue(d.problems(with: ["limit": .int(51)]).joined().contains("limit must be 1–50"))
        guard case .transform(let stage) = try d.make(PluginOptions([:])) else { return XCTFail("not a transform") }
        var batch = Batch(schema: Schema([Field("nama", .string)]), input: InputRef(id: 1, sha256: "s", path: "/x.csv"))
        batch.append([.string("SUPARMAN")], origin: RowOrigin(row: 2))
        var rejections = Rejections()
        XCTAssertThrowsError(try stage.process(batch, rejections: &rejections, context: stageContext())) { error in
            XCTAssertTrue("\(error)".contains("needs the SQLite warehouse"), "\(error)")
        }
    }

    func testMinScoreDropsWeakCandidates() throws {
        _ = try loadRegistry()
        let catalog = folder.path("program-catalog.csv")
        try writeExcelCSV(Self.catalogLines, to: catalog)
        var spec = csrPipeline(catalog: catalog)
        spec.transforms[spec.transforms.count - 1] = StageSpec(plugin: "match-identity", options: ["minScore": .int(70)])
        let path = folder.path("csr.csv")
        try writeExcelCSV(Self.csrLines, to: path)
        let result = try runPipeline(spec, inputs: [path], into: warehouse)
        XCTAssertEqual(result.status, .succeeded, result.inputs.first?.message ?? "")
        XCTAssertEqual(try warehouse.rows("SELECT DISTINCT score FROM identity_match"), [[.int(80)]])
    }

    // MARK: - match-identity: decisions

    func testStewardDecisions() throws {
        _ = try loadRegistry()
        _ = try loadCSR()
        let suparman = try warehouse.identityMatches().filter { $0.sourceRow == 8 }
        XCTAssertEqual(suparman.map(\.candidateNIK), ["1802011204800001", "1802010307050006"])
        let (father, son) = (suparman[0], suparman[1])

        try warehouse.decideIdentityMatch(id: father.id, confirm: true, by: "steward-a", note: "checked with the desa")
        let confirmed = try XCTUnwrap(warehouse.identityMatches(id: father.id).first)
        XCTAssertEqual(confirmed.status, "confirmed")
        XCTAssertEqual(confirmed.decidedBy, "steward-a")
        XCTAssertEqual(confirmed.note, "checked with the desa")
        XCTAssertNotNil(confirmed.decidedAt)

        // One record, one person: a second confirmation is refused until the first is rejected.
        XCTAssertThrowsError(try warehouse.decideIdentityMatch(id: son.id, confirm: true, by: "steward-b", note: nil)) { error in
            XCTAssertTrue("\(error)".contains("already matched to another person by match \(father.id)"), "\(error)")
            XCTAssertTrue("\(error)".contains("padu matches reject \(father.id)"), "\(error)")
        }
        XCTAssertEqual(try warehouse.identityMatches(id: son.id).first?.status, "possible")
        // Confirming the same match again is not a second match.
        XCTAssertNoThrow(try warehouse.decideIdentityMatch(id: father.id, confirm: true, by: "steward-a", note: nil))

        // Only a confirmed match counts as the recipient.
        let aid = "SELECT nik FROM aid_received WHERE origin = 'assistance' AND source_row = 8"
        XCTAssertEqual(try warehouse.rows(aid), [[.text("1802011204800001")]])
        try warehouse.decideIdentityMatch(id: father.id, confirm: false, by: "steward-b", note: "another Suparman")
        XCTAssertEqual(try warehouse.rows(aid), [[.null]])
        try warehouse.decideIdentityMatch(id: son.id, confirm: true, by: "steward-b", note: nil)
        XCTAssertEqual(try warehouse.rows(aid), [[.text("1802010307050006")]])
        XCTAssertEqual(try warehouse.identityMatches(status: "rejected").map(\.id), [father.id])

        XCTAssertThrowsError(try warehouse.decideIdentityMatch(id: 9999, confirm: true, by: "x", note: nil)) { error in
            XCTAssertTrue(error is IdentityMatchError, "\(error)")
            XCTAssertTrue("\(error)".contains("no identity match 9999"), "\(error)")
        }
        // The row with a valid NIK counts without any decision.
        XCTAssertEqual(try warehouse.rows("SELECT nik FROM aid_received WHERE origin = 'assistance' AND source_row = 4"),
                       [[.text("1802011204800001")]])
    }

    func testDecisionsSurviveReloadingTheFile() throws {
        _ = try loadRegistry()
        let first = try loadCSR()
        let sutrisno = try XCTUnwrap(warehouse.identityMatches().first { $0.sourceRow == 5 })
        let siti = try XCTUnwrap(warehouse.identityMatches().first { $0.sourceRow == 6 })
        try warehouse.decideIdentityMatch(id: sutrisno.id, confirm: true, by: "steward", note: nil)
        try warehouse.decideIdentityMatch(id: siti.id, confirm: false, by: "steward", note: nil)

        // The same file, forced.
        let forced = try loadCSR(force: true)
        XCTAssertEqual(forced.inputs[0].replaced, [first.inputs[0].inputID!])
        XCTAssertEqual(try warehouse.identityMatches(id: sutrisno.id).first?.status, "confirmed")
        XCTAssertEqual(try warehouse.identityMatches(id: siti.id).first?.status, "rejected")

        // A corrected version: a row added at the top moves every line; the records are the same.
        var corrected = Self.csrLines
        corrected.insert("0;;Warsini;Paket Sembako;150.000;13/07/2025;Kalirejo;Kalirejo", at: 3)
        _ = try loadCSR(corrected)
        let after = try XCTUnwrap(warehouse.identityMatches(id: sutrisno.id).first)
        XCTAssertEqual(after.status, "confirmed")
        XCTAssertEqual(after.sourceRow, 6, "the match follows its record to its new line")
        XCTAssertEqual(try warehouse.identityMatches(id: siti.id).first?.status, "rejected")
        XCTAssertEqual(try warehouse.rows("SELECT nik FROM aid_received WHERE origin = 'assistance' AND name = 'SUTRISNO'"),
                       [[.text("1802010101750003")]])
        XCTAssertEqual(try warehouse.count("SELECT count(*) FROM identity_match"), 5, "no duplicate proposals")
    }

    func testScanFindsMatchesForRecordsLoadedBeforeTheRegistry() throws {
        _ = try loadCSR()
        XCTAssertEqual(try warehouse.count("SELECT count(*) FROM identity_match"), 0)
        XCTAssertEqual(try warehouse.count("SELECT count(*) FROM assistance WHERE match_key IS NOT NULL"), 4)
        _ = try loadRegistry()
        XCTAssertEqual(try warehouse.scanIdentityMatches(), 5)
        XCTAssertEqual(try warehouse.identityMatches(status: "possible").count, 5)
        XCTAssertEqual(try warehouse.scanIdentityMatches(), 0, "a second scan proposes nothing new")
        let dewi = try XCTUnwrap(warehouse.identityMatches().first { $0.candidateNIK == "1802015208900004" })
        XCTAssertEqual(dewi.score, 60)
        XCTAssertEqual(dewi.sourceRow, 7)
    }

    // MARK: - The registry sink's quality columns

    func testRegistryRowsKeepTheQualityMarks() throws {
        let result = try loadRegistry()
        assertBalanced(result)
        XCTAssertEqual(result.counts.loaded, 6)
        XCTAssertEqual(try warehouse.rows("""
            SELECT snapshot_date, status, name_raw, name_key, nik_status, kk_status, region_status, region_code
            FROM registry_status WHERE nik = '1802011204800001'
            """), [[.text("2025-06-30"), .text("AKTIF"), .text("Drs. Suparman"), .text("SUPARMAN"), .text("valid"), .text("valid"),
                    .text("resolved"), .text("18.02.01.2001")]])
        XCTAssertEqual(try warehouse.rows("SELECT status FROM registry_status WHERE nik = '1802015208900004'"), [[.text("MENINGGAL")]])
        XCTAssertEqual(try warehouse.rows("SELECT name, name_key, nik_status, region_code FROM person WHERE nik = '1802011204800001'"),
                       [[.text("SUPARMAN"), .text("SUPARMAN"), .text("valid"), .text("18.02.01.2001")]])
    }

    func testRegistryKeepsAnInvalidKKWithItsNotes() throws {
        let path = folder.path("p3ke.csv")
        try writeExcelCSV([
            Self.registryLines[0],
            // The KK's day part 35 is no date: kept (onInvalid: keep) with its notes.
            "P3KE-0009;1802011010700007;1802013513100009;AHMAD;L;10/10/1970;KEPALA KELUARGA;1802012003;2;AKTIF",
        ], to: path)
        let spec = registryPipeline(name: "p3ke", registry: "P3KE", transforms: [
            StageSpec(plugin: "validate-nik", options: ["onInvalid": .string("quarantine")]),
            StageSpec(plugin: "validate-kk", options: ["onInvalid": .string("keep")]),
        ])
        let result = try runPipeline(spec, inputs: [path], into: warehouse)
        XCTAssertEqual(result.counts.loaded, 1, result.inputs.first?.message ?? "")
        let row = try warehouse.rows("SELECT no_kk, nik_status, kk_status, kk_notes FROM registry_status")
        XCTAssertEqual(row.count, 1)
        XCTAssertEqual(row[0][0], .text("1802013513100009"))
        XCTAssertEqual(row[0][1], .text("valid"))
        XCTAssertEqual(row[0][2], .text("invalid"))
        XCTAssertTrue(text(row[0][3])?.contains("kk-bad-date") ?? false, "\(row[0][3])")
    }

    // MARK: - region-crosswalk

    private func crosswalkSpec(version: String = "BPS-Kemendagri 2024") -> PipelineSpec {
        PipelineSpec(name: "crosswalk",
                     source: StageSpec(plugin: "region-crosswalk", options: ["version": .string(version)]),
                     sink: StageSpec(plugin: "warehouse", options: ["dataset": .string("crosswalk")]))
    }

    func testCrosswalkLoadsAndQuarantinesBadCodes() throws {
        let path = folder.path("crosswalk-bps-kemendagri.csv")
        try writeExcelCSV([
            "Kode BPS;Kode Kemendagri;Nama",
            "1805;18.02;Lampung Tengah",
            "1806;1806;Tanggamus",
            "1805010;18.02.01;Kalirejo",
            "18O5;18.02;Lampung Tengah",
            "1899;18.99;Tidak Ada",
            "1805;18.02;Lampung Tengah",
            "1805.020;180202;",
        ], to: path)
        let result = try runPipeline(crosswalkSpec(), inputs: [path], into: warehouse)
        XCTAssertEqual(result.status, .succeeded, result.inputs.first?.message ?? "")
        assertBalanced(result)
        XCTAssertEqual(result.counts.loaded, 4)
        XCTAssertEqual(result.counts.quarantined, 2)
        XCTAssertEqual(try warehouse.rows("SELECT version, bps_code, kemendagri_code, name, source_row FROM region_crosswalk ORDER BY source_row"), [
            [.text("BPS-Kemendagri 2024"), .text("1805"), .text("18.02"), .text("Lampung Tengah"), .int(2)],
            [.text("BPS-Kemendagri 2024"), .text("1806"), .text("18.06"), .text("Tanggamus"), .int(3)],
            [.text("BPS-Kemendagri 2024"), .text("1805010"), .text("18.02.01"), .text("Kalirejo"), .int(4)],
            [.text("BPS-Kemendagri 2024"), .text("1805020"), .text("18.02.02"), .null, .int(8)],
        ])
        XCTAssertEqual(try warehouse.rows("""
            SELECT row_number, disposition, reason_code FROM quarantine
            WHERE reason_code NOT IN ('header', 'title-block', 'blank-row') ORDER BY row_number
            """), [
                [.int(5), .text("quarantined"), .text("bad-bps-code")],
                [.int(6), .text("quarantined"), .text("unknown-region-code")],
                [.int(7), .text("skipped"), .text("duplicate-pair")],
            ])
        let reasons = try warehouse.rows("SELECT reason FROM quarantine WHERE row_number IN (5, 6, 7) ORDER BY row_number").compactMap { text($0[0]) }
        XCTAssertTrue(reasons[0].contains("'18O5' is not a BPS region code"), reasons[0])
        XCTAssertTrue(reasons[1].contains("'18.99' is not a code of the"), reasons[1])
        XCTAssertTrue(reasons[2].contains("BPS 1805 → Kemendagri 18.02 already appears earlier"), reasons[2])
    }

    func testReloadingTheCrosswalkReplacesItsRows() throws {
        let path = folder.path("crosswalk.csv")
        try writeExcelCSV(["Kode BPS;Kode Kemendagri;Nama", "1805;18.02;Lampung Tengah", "1806;18.06;Tanggamus"], to: path)
        let first = try runPipeline(crosswalkSpec(), inputs: [path], into: warehouse)
        XCTAssertEqual(first.counts.loaded, 2)
        try writeExcelCSV(["Kode BPS;Kode Kemendagri;Nama", "1805;18.02;Kabupaten Lampung Tengah"], to: path)
        let second = try runPipeline(crosswalkSpec(), inputs: [path], into: warehouse)
        XCTAssertEqual(second.inputs[0].replaced, [first.inputs[0].inputID!])
        XCTAssertEqual(try warehouse.rows("SELECT bps_code, kemendagri_code, name, input_id FROM region_crosswalk"),
                       [[.text("1805"), .text("18.02"), .text("Kabupaten Lampung Tengah"), .int(second.inputs[0].inputID!)]])
        // Another file, another version: kept beside it.
        let other = folder.path("crosswalk-2020.csv")
        try writeExcelCSV(["Kode BPS;Kode Kemendagri;Nama", "1805;18.02;Lampung Tengah"], to: other)
        _ = try runPipeline(crosswalkSpec(version: "BPS-Kemendagri 2020"), inputs: [other], into: warehouse)
        XCTAssertEqual(try warehouse.rows("SELECT version FROM region_crosswalk ORDER BY version"),
                       [[.text("BPS-Kemendagri 2020")], [.text("BPS-Kemendagri 2024")]])
    }

    func testCrosswalkOptionProblems() {
        let d = RegionCrosswalkSource.descriptor
        XCTAssertEqual(d.problems(with: ["version": .string("BPS-Kemendagri 2024")]), [])
        XCTAssertTrue(d.problems(with: [:]).joined().contains("needs option 'version'"))
        XCTAssertTrue(d.problems(with: ["version": .string("  ")]).joined().contains("version must name the crosswalk's version"))
        XCTAssertTrue(d.problems(with: ["version": .string("v"), "columns": .map(["kode_bsp": .string("BPS")])]).joined()
            .contains("unknown field(s) kode_bsp"))
    }

    // MARK: - Birth dates in aid rows

    func testABirthDateInTheAidFileGivesTheStrongestMatch() throws {
        _ = try loadRegistry()
        _ = try loadCSR([
            "No;NIK;Nama Penerima;Tanggal Lahir;Jenis Bantuan;Nilai Bantuan (Rp);Tanggal Penyaluran;Desa;Kecamatan",
            "1;;Siti Aminah;15/06/1985;Paket Sembako;150.000;14/07/2025;Sri Way Langsep;Kalirejo",
            "2;;Suparman;01/01/1990;Paket Sembako;150.000;14/07/2025;Wayakrui;Kalirejo",
        ])
        let matches = try warehouse.identityMatches()
        XCTAssertEqual(matches.map(\.candidateNIK), ["1802015506850002"])
        XCTAssertEqual(matches.first?.score, 100)
        XCTAssertEqual(matches.first?.basis, "name+birth date+desa")
        // Suparman of Wayakrui was born in 1982, not 1990: not proposed.
        XCTAssertEqual(try warehouse.database.scalar("SELECT birth_date FROM assistance WHERE name = 'SITI AMINAH'"), .text("1985-06-15"))
        // The catalog's name of the program, not its code, describes it.
        XCTAssertEqual(try warehouse.database.scalar("SELECT name FROM program WHERE code = 'CSR-SAL-SEMBAKO'"), .text("Paket Sembako Peduli"))
    }
}
