export default function Home() {
  return (
    <main>
      <h1>Scrapifie</h1>
      <p>Submit scrape jobs to /api/v1/jobs with your API key.</p>
    </main>
  );
}
