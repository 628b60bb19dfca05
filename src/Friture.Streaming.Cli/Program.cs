Console.WriteLine("friture-stream: work in progress");
return 0;
