import GRDB

/// The manifest's schema: one append-only list of named migrations. Never edit a migration that
/// has shipped; add a new one.
enum ManifestSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "posts") { table in
                table.primaryKey("path", .text)
                table.column("size", .integer).notNull()
                table.column("mtime", .double).notNull()
                table.column("sha256", .text).notNull()
                table.column("scanned_at", .double).notNull()
            }
            try db.create(table: "assets") { table in
                table.primaryKey("sha256", .text)
                table.column("path", .text).notNull()
                table.column("format", .text).notNull()
                table.column("bytes", .integer).notNull()
                table.column("width", .integer).notNull()
                table.column("height", .integer).notNull()
                table.column("orientation", .integer).notNull()
                table.column("displayed_width", .integer).notNull()
                table.column("displayed_height", .integer).notNull()
                table.column("frames", .integer).notNull()
                table.column("created_at", .double).notNull()
            }
            try db.create(table: "thumbnails") { table in
                table.column("asset", .text).notNull().references("assets", onDelete: .cascade)
                table.column("width", .integer).notNull()
                table.column("height", .integer).notNull()
                table.column("path", .text).notNull()
                table.column("bytes", .integer).notNull()
                table.primaryKey(["asset", "width"])
            }
            try db.create(table: "urls") { table in
                table.primaryKey("url", .text)
                table.column("wrapper", .text)
                table.column("status", .text).notNull()
                table.column("fetched_via", .text)
                table.column("asset", .text).references("assets", onDelete: .setNull)
                table.column("http_status", .integer)
                table.column("failure_class", .text)
                table.column("failure_message", .text)
                table.column("attempts", .integer).notNull()
                table.column("etag", .text)
                table.column("last_modified", .text)
                table.column("last_checked", .double).notNull()
            }
            try db.create(table: "image_references") { table in
                table.column("post", .text).notNull()
                table.column("place", .text).notNull()
                table.column("kind", .text).notNull()
                table.column("line", .integer).notNull()
                table.column("original_value", .text).notNull()
                table.column("url", .text)
                table.column("local_value", .text)
                table.column("asset", .text).references("assets", onDelete: .setNull)
                table.column("declared_width", .integer)
                table.column("declared_height", .integer)
                table.column("verdict", .text)
                table.primaryKey(["post", "place"])
            }
            try db.create(index: "image_references_url", on: "image_references", columns: ["url"])
        }
        migrator.registerMigration("v2-url-schedule") { db in
            try db.alter(table: "urls") { table in
                // When a failed URL may be tried again, and since when an origin answers 404/410.
                table.add(column: "next_attempt", .double)
                table.add(column: "gone_since", .double)
            }
            try db.create(index: "image_references_asset", on: "image_references", columns: ["asset"])
        }
        migrator.registerMigration("v3-skip-and-retry") { db in
            try db.alter(table: "posts") { table in
                // References of the post not yet pointing at a local copy (failed or pending):
                // a post with none, unchanged on disk, is not read again.
                table.add(column: "pending", .integer).notNull().defaults(to: 0)
            }
            try db.alter(table: "urls") { table in
                // Consecutive runs in which the URL failed, for the retry back-off.
                table.add(column: "failed_runs", .integer).notNull().defaults(to: 0)
            }
        }
        migrator.registerMigration("v4-element-edits") { db in
            // Declared sizes corrected and provenance attributes inserted, for restore.
            try db.create(table: "element_edits") { table in
                table.column("post", .text).notNull()
                table.column("place", .text).notNull()
                table.column("kind", .text).notNull()
                table.column("original_value", .text).notNull()
                table.column("local_value", .text).notNull()
                table.column("anchor_attribute", .text).notNull()
                table.column("anchor_value", .text).notNull()
                table.primaryKey(["post", "place"])
            }
        }
        migrator.registerMigration("v5-referer-rules") { db in
            // Referers hosts were found to need, sent first next time.
            try db.create(table: "referer_rules") { table in
                table.primaryKey("host", .text)
                table.column("referer", .text).notNull()
                table.column("url", .text).notNull()
                table.column("learned_at", .double).notNull()
            }
        }
        migrator.registerMigration("v6-archive-rescue") { db in
            try db.alter(table: "urls") { table in
                // A rescued URL's capture (fetched_via is then 'archive'), and when the archives
                // last had nothing for a failed one.
                table.add(column: "archive_capture", .text)
                table.add(column: "captured_at", .double)
                table.add(column: "rescue_checked", .double)
            }
        }
        migrator.registerMigration("v7-thumbnail-formats") { db in
            // A width may be made in several formats: the format joins the key.
            try db.create(table: "thumbnails_by_format") { table in
                table.column("asset", .text).notNull().references("assets", onDelete: .cascade)
                table.column("width", .integer).notNull()
                table.column("height", .integer).notNull()
                table.column("path", .text).notNull()
                table.column("bytes", .integer).notNull()
                table.column("format", .text).notNull()
                table.primaryKey(["asset", "width", "format"])
            }
            try db.execute(
                sql: """
                    INSERT INTO thumbnails_by_format (asset, width, height, path, bytes, format)
                    SELECT asset, width, height, path, bytes,
                        CASE WHEN path LIKE '%.png' THEN 'png' WHEN path LIKE '%.webp' THEN 'webp' ELSE 'jpeg' END
                    FROM thumbnails
                    """)
            try db.drop(table: "thumbnails")
            try db.rename(table: "thumbnails_by_format", to: "thumbnails")
            // Small facts about the store as a whole, such as the thumbnail plan last completed.
            try db.create(table: "store_facts") { table in
                table.primaryKey("key", .text)
                table.column("value", .text).notNull()
            }
        }
        return migrator
    }
}
